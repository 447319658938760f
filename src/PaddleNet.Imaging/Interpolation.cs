namespace PaddleNet.Imaging;

/// <summary>
/// Resampling filter of <see cref="Image.Resize(Image, int, int, Interpolation)"/>. The values equal OpenCV's
/// <c>cv::InterpolationFlags</c> (<c>INTER_NEAREST</c> … <c>INTER_LANCZOS4</c>), which PaddleClas configs name.
/// </summary>
public enum Interpolation
{
    /// <summary><c>cv::INTER_NEAREST</c>: the source pixel at <c>floor(dst * scale)</c>.</summary>
    Nearest = 0,

    /// <summary><c>cv::INTER_LINEAR</c>: bilinear, half-pixel centres, 11-bit fixed point, no anti-aliasing
    /// (an exact 2× down-scale is computed as <see cref="Area"/>). PaddleClas's default.</summary>
    Linear = 1,

    /// <summary><c>cv::INTER_CUBIC</c>: bicubic over 4×4 pixels (a = −0.75).</summary>
    Cubic = 2,

    /// <summary><c>cv::INTER_AREA</c>: pixel-area averaging when shrinking; like <see cref="Linear"/> when enlarging.</summary>
    Area = 3,

    /// <summary><c>cv::INTER_LANCZOS4</c>: Lanczos over 8×8 pixels.</summary>
    Lanczos4 = 4,
}
