namespace PaddleNet.Serving.Config;

/// <summary>Model names appear in URL paths (<c>/{name}/prediction</c>, <c>/predict/{name}</c>), so they are kept URL-safe.</summary>
public static class ModelNames
{
    /// <summary>Whether <paramref name="name"/> may name a model (it appears in URLs).</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
