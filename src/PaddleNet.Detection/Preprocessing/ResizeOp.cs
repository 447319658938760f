using PaddleNet.Imaging;

namespace PaddleNet.Detection.Preprocessing;

/// <summary>
/// <c>Resize</c>: <c>cv2.resize(im, None, None, fx=scale_x, fy=scale_y, interpolation=interp)</c>. With
/// <c>keep_ratio</c> one scale fits the short side to min(target) unless the long side would then exceed
/// max(target); otherwise <c>scale_y = target_h / h</c>, <c>scale_x = target_w / w</c>. Sets <c>im_shape</c> to the
/// resized size and <c>scale_factor</c> to [scale_y, scale_x] (float32 of the double scales).
/// </summary>
public sealed class ResizeOp : PreprocessOp
{
    /// <summary>A resize to <paramref name="targetHeight"/> × <paramref name="targetWidth"/> (the bounds of the short and long side when <paramref name="keepRatio"/>).</summary>
    public ResizeOp(int targetHeight, int targetWidth, bool keepRatio, Interpolation interpolation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetWidth);
        TargetHeight = targetHeight;
        TargetWidth = targetWidth;
        KeepRatio = keepRatio;
        Interpolation = interpolation;
    }

    /// <summary><c>Resize</c>.</summary>
    public override string Type => "Resize";

    /// <summary><c>target_size[0]</c>.</summary>
    public int TargetHeight { get; }

    /// <summary><c>target_size[1]</c>.</summary>
    public int TargetWidth { get; }

    /// <summary><c>keep_ratio</c>: scale both sides by one factor instead of stretching to the target.</summary>
    public bool KeepRatio { get; }

    /// <summary><c>interp</c>: the OpenCV interpolation.</summary>
    public Interpolation Interpolation { get; }

    /// <summary>PaddleDetection's <c>generate_scale</c>, in double precision as Python computes it.</summary>
    public (double Y, double X) ScaleFor(int height, int width)
    {
        if (!KeepRatio)
        {
            return (TargetHeight / (double)height, TargetWidth / (double)width);
        }

        double sizeMin = Math.Min(height, width), sizeMax = Math.Max(height, width);
        double targetMin = Math.Min(TargetHeight, TargetWidth), targetMax = Math.Max(TargetHeight, TargetWidth);
        double scale = targetMin / sizeMin;
        if (Math.Round(scale * sizeMax, MidpointRounding.ToEven) > targetMax)
        {
            scale = targetMax / sizeMax;
        }

        return (scale, scale);
    }

    internal override void Apply(PreprocessState state)
    {
        if (state.Pixels is null)
        {
            // deploy/python resizes uint8 images; a float resize would need cv2's float path.
            throw new PaddleNetException("Resize after NormalizeImage/Permute is not supported: put Resize first in Preprocess");
        }

        (double sy, double sx) = ScaleFor(state.Height, state.Width);
        Image resized = Image.ResizeScale(state.Pixels, sx, sy, Interpolation);
        state.SetPixels(resized);
        state.ImShape = (resized.Height, resized.Width);
        state.ScaleFactor = ((float)sy, (float)sx);
    }
}
