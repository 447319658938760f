// The consumer check of scripts/test-pack: a fresh `dotnet new console` gets this file, references the PaddleNet
// package from artifacts/packages, and prints the top-1 class of one input, so the package works as a user gets it.
// Usage: consumer MODEL_DIR INPUT.npy (float32, C order, little-endian).
using System.Buffers.Binary;
using System.Text;
using PaddleNet;

byte[] npy = File.ReadAllBytes(args[1]);
// .npy v1/v2: magic, version, header length, a Python dict header, then the raw data.
int headerLength = npy[6] == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(npy.AsSpan(8));
int dataStart = (npy[6] == 1 ? 10 : 12) + headerLength;
string header = Encoding.ASCII.GetString(npy, 0, dataStart);
if (!header.Contains("'descr': '<f4'") || !header.Contains("'fortran_order': False")) throw new InvalidDataException($"{args[1]}: not float32 C-order");
string shapeText = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
int[] shape = shapeText[..shapeText.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
float[] data = new float[(npy.Length - dataStart) / 4];
Buffer.BlockCopy(npy, dataStart, data, 0, data.Length * 4);

using var session = new InferenceSession(args[0]);
var input = Tensor.FromSpan<float>(data, shape);
var outputs = session.Run(new Dictionary<string, Tensor> { [session.Inputs[0].Name] = input });
ReadOnlySpan<float> scores = outputs[0].AsSpan<float>();
int best = 0;
for (int i = 1; i < scores.Length; i++) if (scores[i] > scores[best]) best = i;
Console.WriteLine($"top-1: {best} {scores[best]:R}");
