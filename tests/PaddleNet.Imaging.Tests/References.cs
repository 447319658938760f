using System.Text.Json;

namespace PaddleNet.Imaging.Tests;

/// <summary>One stored array of a photo in images/reference/manifest.json.</summary>
internal sealed record ReferenceArray(string File, string Dtype, int[] Shape);

/// <summary>One photo of images/reference/manifest.json.</summary>
internal sealed record ReferencePhoto(
    string Stem,
    string Path,
    int Height,
    int Width,
    int ResizeShortHeight,
    int ResizeShortWidth,
    int CropOffsetY,
    int CropOffsetX,
    IReadOnlyDictionary<string, ReferenceArray> Files);

/// <summary>One file of images/odd/reference/manifest.json; <see cref="Decode"/> is null where cv2 returned None.</summary>
internal sealed record OddImage(string File, string What, string? Decode, int[]? Shape);

/// <summary>The OpenCV-Python 4.10 image references in the shared folder (see shared/models/REFERENCE.md).</summary>
internal static class References
{
    public const string ReferenceFolder = "models/images/reference";
    public const string OddFolder = "models/images/odd";

    private static readonly Lazy<IReadOnlyList<ReferencePhoto>> s_photos = new(LoadPhotos);
    private static readonly Lazy<IReadOnlyList<OddImage>> s_odd = new(LoadOdd);

    public static IReadOnlyList<ReferencePhoto> Photos => s_photos.Value;

    public static IReadOnlyList<OddImage> OddImages => s_odd.Value;

    public static ReferencePhoto Photo(string stem) =>
        Photos.SingleOrDefault(p => p.Stem == stem) ?? throw new KeyNotFoundException($"No photo '{stem}' in the reference manifest.");

    /// <summary>Loads the stored array <paramref name="key"/> (e.g. "decode") of a photo and checks its shape against the manifest.</summary>
    public static NpyArray LoadArray(ReferencePhoto photo, string key)
    {
        if (!photo.Files.TryGetValue(key, out ReferenceArray? entry))
        {
            throw new KeyNotFoundException($"Photo '{photo.Stem}' has no stored '{key}' array.");
        }

        NpyArray array = Npy.Read(SharedData.PathOf($"{ReferenceFolder}/{entry.File}"));
        Assert.Equal(entry.Shape, array.Shape);
        return array;
    }

    /// <summary>Theory rows (stem) of photos that store every key in <paramref name="keys"/>.</summary>
    public static TheoryData<string> StemsWith(params string[] keys)
    {
        var data = new TheoryData<string>();
        foreach (ReferencePhoto photo in Photos.Where(p => keys.All(p.Files.ContainsKey)))
        {
            data.Add(photo.Stem);
        }

        return data;
    }

    /// <summary>Theory rows (stem, key) of every stored array whose key starts with <paramref name="prefix"/>.</summary>
    public static TheoryData<string, string> ArraysStartingWith(string prefix, params string[] exceptKeys)
    {
        var data = new TheoryData<string, string>();
        foreach (ReferencePhoto photo in Photos)
        {
            foreach (string key in photo.Files.Keys
                         .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !exceptKeys.Contains(k))
                         .Order(StringComparer.Ordinal))
            {
                data.Add(photo.Stem, key);
            }
        }

        return data;
    }

    private static IReadOnlyList<ReferencePhoto> LoadPhotos()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf($"{ReferenceFolder}/manifest.json")));
        var photos = new List<ReferencePhoto>();
        foreach (JsonElement p in doc.RootElement.GetProperty("photos").EnumerateArray())
        {
            var files = new Dictionary<string, ReferenceArray>(StringComparer.Ordinal);
            foreach (JsonProperty f in p.GetProperty("files").EnumerateObject())
            {
                files[f.Name] = new ReferenceArray(
                    f.Value.GetProperty("file").GetString()!,
                    f.Value.GetProperty("dtype").GetString()!,
                    f.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
            }

            int[] hw = p.GetProperty("decoded_hw").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            int[] rs = p.GetProperty("resize_short256_hw").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            int[] crop = p.GetProperty("crop224_offset_yx").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            photos.Add(new ReferencePhoto(
                p.GetProperty("stem").GetString()!,
                p.GetProperty("path").GetString()!,
                hw[0], hw[1], rs[0], rs[1], crop[0], crop[1], files));
        }

        if (photos.Count == 0)
        {
            throw new InvalidDataException("The reference manifest lists no photos.");
        }

        return photos;
    }

    private static IReadOnlyList<OddImage> LoadOdd()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf($"{OddFolder}/reference/manifest.json")));
        var list = new List<OddImage>();
        foreach (JsonElement f in doc.RootElement.GetProperty("files").EnumerateArray())
        {
            JsonElement decode = f.GetProperty("decode");
            int[]? shape = f.TryGetProperty("shape", out JsonElement s) ? s.EnumerateArray().Select(e => e.GetInt32()).ToArray() : null;
            list.Add(new OddImage(
                f.GetProperty("file").GetString()!,
                f.GetProperty("what").GetString()!,
                decode.ValueKind == JsonValueKind.Null ? null : decode.GetString(),
                shape));
        }

        return list;
    }
}
