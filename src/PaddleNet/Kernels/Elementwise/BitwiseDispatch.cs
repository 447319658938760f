using PaddleNet.Runtime;

namespace PaddleNet.Kernels.Elementwise;

/// <summary>A bitwise binary op over every integer width and bool.</summary>
internal interface IBitwiseOp : IBinaryOp<bool, bool>, IBinaryOp<byte, byte>, IBinaryOp<sbyte, sbyte>, IBinaryOp<short, short>, IBinaryOp<int, int>, IBinaryOp<long, long>
{
}

/// <summary>Dtype dispatch of the bitwise family onto <see cref="BinaryDriver"/>.</summary>
internal static class BitwiseDispatch
{
    public static void Run<TOp>(RunContext ctx, in BinaryOperands p)
        where TOp : IBitwiseOp
    {
        var t = ctx.Type(p.X);
        if (ctx.Type(p.Y) != t) throw p.BadType(ctx, "X and Y of the same type");
        switch (t)
        {
            case DataType.Bool: BinaryDriver.Run<TOp, bool, bool>(ctx, p); break;
            case DataType.UInt8: BinaryDriver.Run<TOp, byte, byte>(ctx, p); break;
            case DataType.Int8: BinaryDriver.Run<TOp, sbyte, sbyte>(ctx, p); break;
            case DataType.Int16: BinaryDriver.Run<TOp, short, short>(ctx, p); break;
            case DataType.Int32: BinaryDriver.Run<TOp, int, int>(ctx, p); break;
            case DataType.Int64: BinaryDriver.Run<TOp, long, long>(ctx, p); break;
            default: throw p.BadType(ctx, "bool or an integer type");
        }
    }
}
