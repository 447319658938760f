using PaddleNet.Pipeline.Config;

namespace PaddleNet.Pipeline.Tests;

public class ConfigTests
{
    private const string Yaml = """
        Global:
          infer_imgs: "./images/a.jpeg"
          batch_size: 2
          use_gpu: True
          enable_mkldnn: yes
          ir_optim: off
          eps: 1e-5
          eps_dot: 1.0e-5
          octal: 010
          quoted_bool: "True"
          quoted_list: "[1, 2]"
          nothing: ~
          empty:
          name: Topk
        PreProcess:
          transform_ops:
            - NormalizeImage:
                scale: 1.0/255.0
                eps: 1e-5
                order: ""
            - ToCHWImage:
        """;

    [Fact]
    public void Yaml11ScalarsAndTheLiteralEvalPassOverMappings()
    {
        var c = ConfigLoader.Parse(Yaml);
        var g = (ConfigMap)c["Global"]!;
        Assert.Equal("./images/a.jpeg", g["infer_imgs"]);
        Assert.Equal(2L, g["batch_size"]);
        Assert.Equal(true, g["use_gpu"]);
        Assert.Equal(true, g["enable_mkldnn"]);
        Assert.Equal(false, g["ir_optim"]);
        Assert.Equal(1e-5, g["eps"]);          // YAML 1.1 string, then literal_eval'd in a mapping
        Assert.Equal(1e-5, g["eps_dot"]);
        Assert.Equal(8L, g["octal"]);
        Assert.Equal(true, g["quoted_bool"]);  // literal_eval does not care about YAML quoting
        Assert.Equal(new List<object?> { 1L, 2L }, g["quoted_list"]);
        Assert.Null(g["nothing"]);
        Assert.Null(g["empty"]);
        Assert.Equal("Topk", g["name"]);
        Assert.Equal(["infer_imgs", "batch_size", "use_gpu"], g.Keys.Take(3));
    }

    [Fact]
    public void ListsAreNotLiteralEvaluated()
    {
        var ops = (List<object?>)((ConfigMap)ConfigLoader.Parse(Yaml)["PreProcess"]!)["transform_ops"]!;
        var normalize = (ConfigMap)((ConfigMap)ops[0]!)["NormalizeImage"]!;
        Assert.Equal("1.0/255.0", normalize["scale"]);
        Assert.Equal("1e-5", normalize["eps"]);
        Assert.Equal("", normalize["order"]);
        Assert.Null(((ConfigMap)ops[1]!)["ToCHWImage"]);
    }

    [Theory]
    [InlineData("True", true)]
    [InlineData("None", null)]
    [InlineData("4", 4L)]
    [InlineData("-3", -3L)]
    [InlineData("0x10", 16L)]
    [InlineData("1e-3", 1e-3)]
    [InlineData("1.0/255.0", 1.0 / 255.0)]
    [InlineData("7/2", 3.5)]
    [InlineData("7//2", 3L)]
    [InlineData("-7//2", -4L)]
    [InlineData("2**10", 1024L)]
    [InlineData("'quoted'", "quoted")]
    [InlineData("./images/a.jpg", "./images/a.jpg")]   // SyntaxError: stays a string
    [InlineData("images/a.jpg", "images/a.jpg")]       // NameError: stays a string
    [InlineData("010", "010")]                         // SyntaxError in Python 3
    [InlineData("dir", "dir")]                         // documented divergence: Python would give the builtin
    [InlineData("1/0", "1/0")]                         // ZeroDivisionError: stays a string
    public void OverrideValuesAreReadLikePythonEval(string text, object? expected)
    {
        Assert.Equal(expected, ConfigOverrides.ParseValue(text));
    }

    [Fact]
    public void OverrideListValuesAndTuples()
    {
        Assert.Equal(new List<object?> { 1L, 2.5, "a" }, ConfigOverrides.ParseValue("[1, 2.5, 'a']"));
        Assert.Equal(new List<object?> { 1L, 2L }, ConfigOverrides.ParseValue("1,2"));
    }

    [Fact]
    public void OverridesWalkDottedPathsAndListIndexes()
    {
        var c = ConfigLoader.Parse(Yaml);
        var warnings = new StringWriter();
        ConfigOverrides.Apply(c, ["Global.batch_size=4", "PreProcess.transform_ops.0.NormalizeImage.order=chw", "PreProcess.transform_ops.-1.ToCHWImage=None"], warnings);
        Assert.Equal(4L, ((ConfigMap)c["Global"]!)["batch_size"]);
        var ops = (List<object?>)((ConfigMap)c["PreProcess"]!)["transform_ops"]!;
        Assert.Equal("chw", ((ConfigMap)((ConfigMap)ops[0]!)["NormalizeImage"]!)["order"]);
        Assert.Equal("", warnings.ToString());
    }

    [Fact]
    public void ANewFinalKeyIsAddedWithAWarning()
    {
        var c = ConfigLoader.Parse(Yaml);
        var warnings = new StringWriter();
        ConfigOverrides.Apply(c, "Global.use_onnx=False", warnings);
        Assert.Equal(false, ((ConfigMap)c["Global"]!)["use_onnx"]);
        Assert.Contains("A new field (use_onnx) detected!", warnings.ToString());
    }

    [Theory]
    [InlineData("Global.batch_size")]                    // no '='
    [InlineData("Global.infer_imgs=a=b")]                // two '='
    [InlineData("Missing.key=1")]                        // missing intermediate key
    [InlineData("PreProcess.transform_ops.5.X.y=1")]     // index out of range
    [InlineData("Global.batch_size.x=1")]                // walking into a scalar
    public void BadOverridesAreUserErrors(string option)
    {
        Assert.Throws<PaddleNetException>(() => ConfigOverrides.Apply(ConfigLoader.Parse(Yaml), option));
    }

    [Fact]
    public void PaddleXSidecarLoads()
    {
        var c = ConfigLoader.LoadFile(SharedData.PathOf("models/cls/PP-LCNet_x0_25_textline_ori/inference.yml"));
        var topk = (ConfigMap)((ConfigMap)c["PostProcess"]!)["Topk"]!;
        Assert.Equal(new List<object?> { "0_degree", "180_degree" }, topk["label_list"]);
        var ops = (List<object?>)((ConfigMap)c["PreProcess"]!)["transform_ops"]!;
        Assert.Equal(0.00392156862745098, ((ConfigMap)((ConfigMap)ops[1]!)["NormalizeImage"]!)["scale"]);
    }

    [Fact]
    public void ConfigDumpMatchesPaddleClasLayout()
    {
        var c = ConfigLoader.LoadFile(SharedData.PathOf("models/cls/ShuffleNetV2_imagenet/predict_cls/inference_cls.yaml"));
        var w = new StringWriter();
        ConfigDump.Write(c, w);
        var text = w.ToString();
        Assert.Contains("Global : \n    infer_imgs : images/imagenet\n", text);
        Assert.Contains("        NormalizeImage : \n            scale : 0.00392157\n            mean : [0.485, 0.456, 0.406]\n", text);
        Assert.Contains("        ToCHWImage : None\n", text);
        Assert.Contains("\n" + new string('-', 60) + "\nPreProcess : \n", text);
    }
}
