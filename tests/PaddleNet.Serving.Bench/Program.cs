// Engine-only throughput for scripts/bench-serving: `workers` threads, each decoding the same encoded image
// `batch` times and classifying the batch with one ImageClassifier (threads intra-op threads), for `seconds`.
// Prints one line: images/s and the number of images.
using System.Diagnostics;
using PaddleNet.Imaging;
using PaddleNet.Pipeline;
using PaddleNet.Pipeline.Config;

var a = args.Select((v, i) => (v, i)).Where(p => p.v.StartsWith("--", StringComparison.Ordinal)).ToDictionary(p => p.v[2..], p => args[p.i + 1]);
string config = a["config"], image = a["image"];
int batch = int.Parse(a.GetValueOrDefault("batch", "1")), threads = int.Parse(a.GetValueOrDefault("threads", "1"));
int workers = int.Parse(a.GetValueOrDefault("workers", "1"));
double seconds = double.Parse(a.GetValueOrDefault("seconds", "5"), System.Globalization.CultureInfo.InvariantCulture);
if (a.TryGetValue("workdir", out var wd)) Directory.SetCurrentDirectory(wd);
using var classifier = ImageClassifier.Create(ClsConfig.Load(config), new ImageClassifierOptions { Threads = threads });
byte[] encoded = File.ReadAllBytes(image);
void Once() => classifier.Predict(Enumerable.Range(0, batch).Select(_ => Image.Decode(encoded)).ToArray());
for (int i = 0; i < 3; i++) Once();
long images = 0;
var clock = Stopwatch.StartNew();
var until = TimeSpan.FromSeconds(seconds);
var ts = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
{
    while (clock.Elapsed < until)
    {
        Once();
        Interlocked.Add(ref images, batch);
    }
})).ToArray();
foreach (var t in ts) t.Start();
foreach (var t in ts) t.Join();
Console.WriteLine(FormattableString.Invariant($"{images / clock.Elapsed.TotalSeconds:F1} {images}"));
