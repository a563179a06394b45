using ConvGen;
using ConvGenApp;

Console.WriteLine(SmallNet.Summary);
Console.WriteLine();

// Weights: a safetensors file with PyTorch state_dict names (`dotnet run -- weights.safetensors`), or a seeded
// Kaiming initialization, as PyTorch's layers initialize themselves.
ModelWeights weights = args.Length > 0 ? SmallNet.LoadWeights(args[0]) : SmallNet.CreateWeights(seed: 1);
var net = new SmallNet(weights);

// A batch of images in NCHW order: [batch, 1, 28, 28]. Here a synthetic stripe pattern per image; put your pixels here.
const int batch = 4;
var images = new float[batch * SmallNet.InputLength];
for (int n = 0; n < batch; n++)
{
    for (int p = 0; p < SmallNet.InputLength; p++)
    {
        images[(n * SmallNet.InputLength) + p] = MathF.Sin((p + 1) * 0.05f * (n + 1));
    }
}

var logits = new float[batch * SmallNet.OutputLength];
net.Forward(images, logits, batch);                       // allocates nothing

for (int n = 0; n < batch; n++)
{
    ReadOnlySpan<float> row = logits.AsSpan(n * SmallNet.OutputLength, SmallNet.OutputLength);
    int best = 0;
    for (int k = 1; k < row.Length; k++)
    {
        if (row[k] > row[best])
        {
            best = k;
        }
    }

    Console.WriteLine($"image {n}: class {best} (logit {row[best]:F4})");
}
