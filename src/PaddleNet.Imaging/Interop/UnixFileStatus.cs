using System.Runtime.InteropServices;

namespace PaddleNet.Imaging.Interop;

/// <summary>
/// <c>stat(2)</c> (symbolic links followed) through .NET's own System.Native library, whose <c>FileStatus</c> layout is
/// fixed by .NET on every Unix (Flags, Mode, Uid, Gid as int32, then Size as int64): .NET's public API tells a
/// directory apart but not a FIFO, socket or device, and opening a FIFO blocks until a writer appears.
/// </summary>
internal static partial class UnixFileStatus
{
    private const int TypeMask = 0xF000;

    internal enum Kind { Regular, Directory, Fifo, Socket, CharacterDevice, BlockDevice, Other }

    /// <summary>Returns 0 and the kind and size, or the errno of the failed <c>stat</c>.</summary>
    internal static unsafe int Stat(string path, out Kind kind, out long size)
    {
        // 256 bytes: more than FileStatus has ever needed, in case a later .NET appends fields.
        byte* status = stackalloc byte[256];
        kind = Kind.Other;
        size = 0;
        if (SystemNativeStat(path, status) != 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        int mode = *(int*)(status + 4);
        size = *(long*)(status + 16);
        kind = (mode & TypeMask) switch
        {
            0x8000 => Kind.Regular,
            0x4000 => Kind.Directory,
            0x1000 => Kind.Fifo,
            0xC000 => Kind.Socket,
            0x2000 => Kind.CharacterDevice,
            0x6000 => Kind.BlockDevice,
            _ => Kind.Other,
        };
        return 0;
    }

    internal static string Describe(Kind kind) => kind switch
    {
        Kind.Directory => "a directory",
        Kind.Fifo => "a FIFO (named pipe)",
        Kind.Socket => "a socket",
        Kind.CharacterDevice => "a character device",
        Kind.BlockDevice => "a block device",
        _ => "not a regular file",
    };

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int SystemNativeStat(string path, byte* status);
}
