using System.CommandLine;

namespace PaddleNet.Cli.Commands;

/// <summary>The PaddleClas-style <c>-c CONFIG</c> and repeatable <c>-o KEY=VALUE</c> options shared by predict and eval.</summary>
internal static class ConfigOptions
{
    public static Option<string> Config() => new("--config", "-c")
    {
        Description = "PaddleClas config (inference_cls.yaml); relative paths in it resolve against the current directory",
        Required = true,
    };

    public static Option<string[]> Overrides() => new("--override", "-o")
    {
        Description = "Override one config value as KEY=VALUE (dotted path, list indexes allowed; the value is read like Python eval). Repeat for more",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
