namespace PaddleNet.Ocr;

/// <summary>An OCR model, dictionary or option does not fit what the OCR flow needs; the message names the file and the field.</summary>
public sealed class OcrException : PaddleNetException
{
    public OcrException(string message, Exception? inner = null) : base(message, inner) { }
}
