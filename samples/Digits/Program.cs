using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvGen;
using ConvGen.Training;
using DigitsSample;
using static System.FormattableString;

// Trains DigitsNet on the 8×8 UCI digits with the generated Trainer, checks the result, and writes the trained
// weights, the held-out test set and the training curves. Exit code 0 when the test accuracy reaches PassPercent, the
// inference network built from the saved weights agrees with the trainer and the training steps allocated nothing after
// the first epoch; 1 otherwise; 2 for a bad command line.
const double PassPercent = 95;
const double TestFraction = 0.2;
const int BatchSize = 32;
const double LearningRate = 2e-3;

if (!TrainingOptions.TryParse(args, out TrainingOptions? options, out string? error))
{
    if (error is not null)
    {
        Console.Error.WriteLine(error);
    }

    Console.Error.WriteLine(TrainingOptions.Usage);
    return error is null ? 0 : 2;
}

var total = Stopwatch.StartNew();
DigitsData all = DigitsData.LoadCsvGz(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));

// One seeded generator decides the split and then, epoch by epoch, the order of the training images.
var random = new Random(options.Seed);
(int[] trainIndices, int[] testIndices) = all.StratifiedSplit(TestFraction, random);
DigitsData train = all.Subset(trainIndices), test = all.Subset(testIndices);

var trainer = new DigitsNet.Trainer(DigitsNet.CreateWeights(options.Seed), BatchSize, options.Seed);
var optimizer = new Adam(trainer.Parameters, LearningRate);
var loop = new TrainingLoop(trainer, optimizer, train, BatchSize, random);
var evaluator = new Evaluator(test);
ForwardPass trainerForward = trainer.Forward;

Console.WriteLine(Invariant($"DigitsNet, {trainer.Parameters.Sum(p => p.Length):N0} parameters. {all.Count} digits: {train.Count} to train, {test.Count} held out ({TestFraction:P0} of each class, seed {options.Seed})."));
Console.WriteLine(Invariant($"Adam (lr {LearningRate}, cosine decay to 0), batch {BatchSize}, {options.Epochs} epochs, softmax cross-entropy."));

var progress = new ProgressBar(Console.Out, redraw: !Console.IsOutputRedirected);
var history = new List<EpochResult>();
long allocatedAfterFirstEpoch = 0;
int epochDigits = options.Epochs.ToString(CultureInfo.InvariantCulture).Length;
for (int epoch = 1; epoch <= options.Epochs; epoch++)
{
    // Cosine annealing, epoch by epoch: lr · (1 + cos(π · (epoch − 1) / epochs)) / 2.
    optimizer.LearningRate = LearningRate * (1 + Math.Cos(Math.PI * (epoch - 1) / options.Epochs)) / 2;
    var watch = Stopwatch.StartNew();
    string label = Invariant($"epoch {epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochDigits)}/{options.Epochs}");
    Score trained = loop.RunEpoch((step, running) => progress.Update(label, step, loop.StepsPerEpoch, () => Describe(running)));
    allocatedAfterFirstEpoch += epoch > 1 ? loop.StepAllocatedBytes : 0;

    // Evaluation mode for the held-out images: BatchNorm uses its running statistics, Dropout passes everything.
    trainer.Training = false;
    Score tested = evaluator.Run(trainerForward, trainer.MaxBatch);
    trainer.Training = true;

    history.Add(new EpochResult(epoch, trained, tested, watch.Elapsed.TotalSeconds));
    progress.Finish(label, loop.StepsPerEpoch, Invariant($"{Describe(trained)}  test {tested.AccuracyPercent,5:F1} %  ({watch.Elapsed.TotalSeconds:F2} s)"));
}

// The trainer's final evaluation, then the same images through an inference DigitsNet loaded from the saved file.
trainer.Training = false;
Score trainerScore = evaluator.Run(trainerForward, trainer.MaxBatch);
float[] trainerLogits = (float[])evaluator.Logits.Clone();

Directory.CreateDirectory(options.OutputDirectory);
string weightsPath = Path.Combine(options.OutputDirectory, "digits-net.safetensors");
string testPath = Path.Combine(options.OutputDirectory, "digits-test.safetensors");
string chartPath = Path.Combine(options.OutputDirectory, "digits-training.png");
trainer.ExportWeights().SaveSafetensors(weightsPath);
ModelWeights testSet = test.ToTensors();
testSet.Metadata["source"] = "UCI optical recognition of handwritten digits (scikit-learn's digits.csv.gz), pixels / 16";
testSet.Metadata["split"] = Invariant($"held out: {TestFraction:P0} of each class, seed {options.Seed} (samples/Digits)");
testSet.SaveSafetensors(testPath);
PngWriter.Save(chartPath, TrainingChart.Draw(history, PassPercent));

var net = new DigitsNet(DigitsNet.LoadWeights(weightsPath));
Score netScore = evaluator.Run(net.Forward, test.Count);
int disagreements = 0;
float largestDifference = 0;
for (int i = 0; i < test.Count; i++)
{
    ReadOnlySpan<float> a = trainerLogits.AsSpan(i * DigitsData.ClassCount, DigitsData.ClassCount);
    ReadOnlySpan<float> b = evaluator.Logits.AsSpan(i * DigitsData.ClassCount, DigitsData.ClassCount);
    disagreements += Evaluator.Predict(a) == Evaluator.Predict(b) ? 0 : 1;
    for (int k = 0; k < a.Length; k++)
    {
        largestDifference = MathF.Max(largestDifference, MathF.Abs(a[k] - b[k]));
    }
}

Console.WriteLine();
Console.WriteLine(Invariant($"Trainer, evaluation mode:          {trainerScore.Correct}/{trainerScore.Count} = {trainerScore.AccuracyPercent:F2} % of the held-out digits"));
Console.WriteLine(Invariant($"DigitsNet from the saved weights:  {netScore.Correct}/{netScore.Count} = {netScore.AccuracyPercent:F2} %; {disagreements} predictions differ, largest logit difference {largestDifference:0.0E+0}"));
Console.WriteLine(Invariant($"Allocated by the training steps after epoch 1: {allocatedAfterFirstEpoch} bytes"));
Console.WriteLine($"Wrote {weightsPath}");
Console.WriteLine($"      {testPath}");
Console.WriteLine($"      {chartPath}");

bool pass = netScore.AccuracyPercent >= PassPercent && disagreements == 0 && allocatedAfterFirstEpoch == 0;
Console.WriteLine(Invariant($"Total {total.Elapsed.TotalSeconds:F1} s. Test accuracy {netScore.AccuracyPercent:F2} % (need {PassPercent} %): {(pass ? "PASS" : "FAIL")}"));
return pass ? 0 : 1;

static string Describe(Score score) => Invariant($"loss {score.Loss:F4}  train {score.AccuracyPercent,5:F1} %");
