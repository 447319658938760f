using System.CommandLine;

namespace PaddleNet.Cli.Commands;

/// <summary>
/// <c>serve</c> in the NativeAOT build (scripts/publish): ASP.NET Core's gRPC, OpenAPI and minimal-API parts of the
/// server are not trim/AOT-safe and would double the folder, so the AOT binary leaves the server out and says so.
/// Compiled only when PublishAot is true (see PaddleNet.Cli.csproj); the JIT build uses ServeCommand.cs.
/// </summary>
internal static class ServeCommand
{
    public const string Unavailable =
        "serve is not part of this NativeAOT build (ASP.NET Core's gRPC/OpenAPI server is not AOT-compatible); " +
        "run the JIT build instead: dotnet PaddleNet.Cli.dll serve ... (or scripts/paddlenet serve)";

    public static Command Create(TextWriter stdout)
    {
        _ = stdout;
        var command = new Command("serve", "(not in this AOT build: use the JIT build, `dotnet PaddleNet.Cli.dll serve`)");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(Refuse);
        return command;
    }

    private static int Refuse(ParseResult _) => throw new PaddleNetException(Unavailable);
}
