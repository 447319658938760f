namespace PaddleNet.Serving.Hosting;

/// <summary>The drop-an-image page served at <c>/</c> (embedded <c>wwwroot/index.html</c>).</summary>
internal static class WebPage
{
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(WebPage).Assembly.GetManifestResourceStream("wwwroot/index.html")
            ?? throw new InvalidOperationException("wwwroot/index.html is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Html => Page.Value;
}
