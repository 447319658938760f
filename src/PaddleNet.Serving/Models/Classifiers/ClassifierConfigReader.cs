using PaddleNet.Pipeline.Config;
using PaddleNet.Serving.Config;

namespace PaddleNet.Serving.Models.Classifiers;

/// <summary>Loads a model's <c>inference_cls.yaml</c> (+ overrides) and resolves its relative paths against the model's workdir.</summary>
internal static class ClassifierConfigReader
{
    public static ClsConfig Read(ModelConfig model)
    {
        ClsConfig loaded;
        try
        {
            loaded = ClsConfig.Load(model.ConfigPath, model.Overrides);
        }
        catch (PaddleNetException e)
        {
            throw new ServingConfigException($"model '{model.Name}': {model.ConfigPath}: {e.Message}", e);
        }
        var raw = loaded.Raw.Clone();
        if (raw.Get("Global") is ConfigMap global && global.Get("inference_model_dir") is { } dir)
        {
            global["inference_model_dir"] = Resolve(PyRepr.Str(dir), model.WorkDirectory);
        }
        if (raw.Get("PostProcess") is ConfigMap post && post.Get("Topk") is ConfigMap topk && topk.Get("class_id_map_file") is { } map)
        {
            topk["class_id_map_file"] = Resolve(PyRepr.Str(map), model.WorkDirectory);
        }
        var cls = ClsConfig.FromMap(raw, model.ConfigPath);
        if (!Directory.Exists(cls.ModelDirectory) && !File.Exists(cls.ModelDirectory))
        {
            throw new ServingConfigException($"model '{model.Name}': Global.inference_model_dir {cls.ModelDirectory} does not exist (relative paths resolve against {model.WorkDirectory}; set workdir)");
        }
        return cls;
    }

    private static string Resolve(string path, string workdir) => Path.GetFullPath(path, workdir);
}
