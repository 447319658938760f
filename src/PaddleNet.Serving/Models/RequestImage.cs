using PaddleNet.Imaging;

namespace PaddleNet.Serving.Models;

/// <summary>Decodes one request image under the server's limits; every refusal is the client's (a 400) and its text
/// is ours: nothing of OpenCV's message reaches the answer.</summary>
internal static class RequestImage
{
    public static Image Decode(byte[] encoded, int index, ImageDecodeOptions options)
    {
        try
        {
            return Image.Decode(encoded, options);
        }
        catch (ImageDecodeException e)
        {
            throw new InvalidInputException(e.Reason switch
            {
                ImageDecodeFailure.TooManyPixels => $"image {index}: more pixels than this server decodes (max_image_pixels {options.MaxPixels})",
                ImageDecodeFailure.TooManyBytes => $"image {index}: {encoded.Length} bytes is more than this server decodes ({options.MaxBytes})",
                ImageDecodeFailure.Empty => $"image {index}: empty",
                _ => $"image {index}: not a decodable image ({encoded.Length} bytes)",
            }, e);
        }
    }
}
