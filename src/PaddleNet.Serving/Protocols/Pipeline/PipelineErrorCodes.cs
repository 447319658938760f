namespace PaddleNet.Serving.Protocols.Pipeline;

/// <summary>Paddle Serving 0.9.0 <c>err_no</c> values (ChannelDataErrcode).</summary>
internal static class PipelineErrorCodes
{
    public const int Ok = 0;
    public const int ProductError = 50;
    public const int NotImplemented = 3000;
    public const int ClosedError = 3001;
    public const int NoService = 3002;
    public const int InitError = 3003;
    public const int ConfError = 4000;
    public const int InputParamsError = 5000;
    public const int Timeout = 6000;
    public const int TypeError = 7000;
    public const int RpcPackageError = 8000;
    public const int ClientError = 9000;
    public const int Unknow = 10000;
}
