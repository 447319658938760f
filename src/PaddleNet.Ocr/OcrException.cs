namespace PaddleNet.Ocr;

/// <summary>An OCR model, dictionary or option does not fit what the OCR flow needs; the message names the file and the field.</summary>
public sealed class OcrException : PaddleNetException
{
    /// <summary>An OCR error with <paramref name="message"/> and its cause, if any.</summary>
    public OcrException(string message, Exception? inner = null) : base(message, inner) { }
}
