using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvGen.Tests.Generator;
using ConvGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ConvGen.Tests.Analyzers;

/// <summary>
/// Every error the shape module and the parser can raise, as the analyzer reports it on the generator's output
/// compilation: its ID, severity, the source it points at (the offending argument, or the attribute or class
/// name), and the exact message (which names the layer and evaluates the formula). The generator reports
/// nothing; for the broken network it emits a stub whose members throw when the class can take members
/// (partial, top-level, non-generic, not a record, not file-local, not static or abstract) and nothing
/// otherwise; a valid neighbour still gets real kernels; and user code that uses every member of a broken
/// network with a stub compiles: the analyzer's errors are the only ones (no cascade).
/// </summary>
public sealed class DeclarationErrorTests
{
    /// <summary>A valid network compiled alongside every broken one: one bad class must not cost the others their code.</summary>
    private static readonly string Neighbour = GeneratorHarness.Declare("[Network(1, 4, 4)]\n[Conv2d(2, 3, Padding = 1), ReLU]", className: "Neighbour");

    /// <param name="Source">The file that declares the broken network Tests.Net.</param>
    /// <param name="Id">The expected rule.</param>
    /// <param name="Located">The exact source text the diagnostic points at.</param>
    /// <param name="Message">The exact message.</param>
    /// <param name="Within">A text that occurs once in <paramref name="Source"/> and contains the location (default: <paramref name="Located"/>).</param>
    /// <param name="Usable">Whether the class can take generated members, so that the generator emits the stub.</param>
    public sealed record Case(string Source, string Id, string Located, string Message, string? Within = null, bool Usable = true);

    private static Case Layers(string attributes, string id, string located, string message, string? within = null)
        => new(GeneratorHarness.Declare(attributes), id, located, message, within);

    private static Case Class(string declaration, string id, string message, string within, bool usable = false)
        => new("using ConvGen;\n\nnamespace Tests;\n\n" + declaration + "\n", id, "Net", message, within, usable);

    private static readonly Dictionary<string, Case> Cases = new(System.StringComparer.Ordinal)
    {
        // CG0001: groups.
        ["CG0001 in_channels not divisible"] = Layers("[Network(6, 8, 8)]\n[Conv2d(6, 3, Padding = 1), ReLU, Identity]\n[Conv2d(8, 3, Groups = 4, Name = \"conv2\")]",
            "CG0001", "Groups = 4", "Conv2d #3 'conv2': in_channels 6 is not divisible by groups 4 (6 / 4 = 1.5), so the channels cannot be split into equal groups; use Groups = 2 (valid: 1, 2)"),
        ["CG0001 out_channels not divisible"] = Layers("[Network(8, 8, 8)]\n[Conv2d(6, 3, Groups = 4)]",
            "CG0001", "Groups = 4", "Conv2d #0: out_channels 6 is not divisible by groups 4 (6 / 4 = 1.5), so the channels cannot be split into equal groups; use Groups = 2 (valid: 1, 2)"),
        ["CG0001 zero groups"] = Layers("[Network(2, 16)]\n[Conv1d(4, 3, Groups = 0)]",
            "CG0001", "Groups = 0", "Conv1d #0: groups must be at least 1, but is 0, which splits the channels into no groups; use Groups = 1"),
        ["CG0001 transposed"] = Layers("[Network(4, 8, 8)]\n[ConvTranspose2d(6, 2, Stride = 2, Groups = 4)]",
            "CG0001", "Groups = 4", "ConvTranspose2d #0: out_channels 6 is not divisible by groups 4 (6 / 4 = 1.5), so the channels cannot be split into equal groups; use Groups = 2 (valid: 1, 2)"),

        // CG0003: 'same' with a stride.
        ["CG0003 same with stride 2-D"] = Layers("[Network(3, 8, 8)]\n[Conv2d(8, 3, Pad = Pad.Same, Stride = 2)]",
            "CG0003", "Pad = Pad.Same", "Conv2d #0: padding 'same' needs stride 1, but the stride is (2, 2): PyTorch rejects it, because a strided output cannot keep the input size; use Padding = 1 (d(k-1)/2 = 1*(3-1)/2 = 1)"),
        ["CG0003 same with stride 1-D"] = Layers("[Network(2, 16)]\n[Conv1d(4, 3, Stride = 2, Pad = Pad.Same)]",
            "CG0003", "Pad = Pad.Same", "Conv1d #0: padding 'same' needs stride 1, but the stride is 2: PyTorch rejects it, because a strided output cannot keep the input size; use Padding = 1 (d(k-1)/2 = 1*(3-1)/2 = 1)"),
        ["CG0003 same with vertical stride"] = Layers("[Network(3, 8, 8)]\n[Conv2d(8, 3, Pad = Pad.Same, StrideH = 2)]",
            "CG0003", "Pad = Pad.Same", "Conv2d #0: padding 'same' needs stride 1, but the stride is (2, 1): PyTorch rejects it, because a strided output cannot keep the input size; use Padding = 1 (d(k-1)/2 = 1*(3-1)/2 = 1)"),

        // CG0004: causal misuse.
        ["CG0004 causal on 2-D"] = Layers("[Network(3, 8, 8)]\n[Conv2d(8, 3, Pad = Pad.Causal)]",
            "CG0004", "Pad = Pad.Causal", "Conv2d #0: causal padding applies to 1-D convolutions only; a 2-D convolution has no time axis"),
        ["CG0004 causal with explicit padding"] = Layers("[Network(2, 16)]\n[Conv1d(4, 3, Pad = Pad.Causal, Padding = 1, Dilation = 2, Name = \"tcn\")]",
            "CG0004", "Pad = Pad.Causal", "Conv1d #0 'tcn': a causal convolution pads exactly d(k-1) = 2*(3-1) = 4 on the left and nothing on the right; remove the explicit padding"),

        // CG0006: output_padding.
        ["CG0006 output_padding 1-D"] = Layers("[Network(2, 16)]\n[ConvTranspose1d(4, 3, Stride = 2, OutputPadding = 2)]",
            "CG0006", "OutputPadding = 2", "ConvTranspose1d #0: output_padding is out of range along the length (output_padding 2, but max(s, d) - 1 = max(2, 1) - 1 = 1 is the largest allowed): PyTorch rejects output_padding that is not smaller than the stride or the dilation, so the layer cannot be compiled; use OutputPadding = 1, the largest output size a stride-s convolution maps back to this input"),
        ["CG0006 output_padding width"] = Layers("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 3, Stride = 2, OutputPaddingW = 2)]",
            "CG0006", "OutputPaddingW = 2", "ConvTranspose2d #0: output_padding is out of range along the width (output_padding 2, but max(s, d) - 1 = max(2, 1) - 1 = 1 is the largest allowed): PyTorch rejects output_padding that is not smaller than the stride or the dilation, so the layer cannot be compiled; use OutputPaddingW = 1, the largest output size a stride-s convolution maps back to this input"),
        ["CG0006 output_padding height"] = Layers("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 3, StrideH = 3, StrideW = 2, OutputPaddingH = 3)]",
            "CG0006", "OutputPaddingH = 3", "ConvTranspose2d #0: output_padding is out of range along the height (output_padding 3, but max(s, d) - 1 = max(3, 1) - 1 = 2 is the largest allowed): PyTorch rejects output_padding that is not smaller than the stride or the dilation, so the layer cannot be compiled; use OutputPaddingH = 2, the largest output size a stride-s convolution maps back to this input"),

        // CG0007: empty output.
        ["CG0007 kernel wider than input"] = Layers("[Network(1, 4, 4)]\n[Conv2d(8, 5)]",
            "CG0007", "Conv2d(8, 5)", "Conv2d #0: the output is empty along the height and the width (floor((4 + 0 + 0 - 5) / 1) + 1 = 0 < 1, with an effective kernel of 5): the kernel is larger than the padded input, so no window fits; use Padding = 1 or a smaller kernel"),
        ["CG0007 dilated kernel taller than input"] = Layers("[Network(1, 4, 16)]\n[Conv2d(8, 3, DilationH = 2)]",
            "CG0007", "Conv2d(8, 3, DilationH = 2)", "Conv2d #0: the output is empty along the height (floor((4 + 0 + 0 - 5) / 1) + 1 = 0 < 1, with an effective kernel of 5): the kernel is larger than the padded input, so no window fits; use Padding = 1 or a smaller kernel"),
        ["CG0007 pooled away"] = Layers("[Network(2, 8, 8)]\n[MaxPool2d(2), MaxPool2d(2), MaxPool2d(2), MaxPool2d(2, Name = \"p4\")]",
            "CG0007", "MaxPool2d(2, Name = \"p4\")", "MaxPool2d #3 'p4': the output is empty along the height and the width (floor((1 + 2*0 - 2) / 2) + 1 = 0 < 1): the window is larger than the padded input, so no window fits; use a window (effective size) of at most 1x1"),
        ["CG0007 transposed padding too large"] = Layers("[Network(1, 2, 2)]\n[ConvTranspose2d(4, 3, Padding = 3)]",
            "CG0007", "ConvTranspose2d(4, 3, Padding = 3)", "ConvTranspose2d #0: the output is empty along the height and the width ((n - 1)*s - 2p + d(k-1) + output_padding + 1 = (2 - 1)*1 - 2*3 + 1*(3 - 1) + 0 + 1 = -2 < 1): the padding crops more than the layer produces; reduce it to PaddingH = 1, PaddingW = 1"),

        // CG0008: skip connections.
        ["CG0008 unknown skip name"] = Layers("[Network(2, 8, 8)]\n[Save(\"a\"), Conv2d(2, 3, Padding = 1)]\n[Add(\"b\")]",
            "CG0008", "\"b\"", "Add #2: no tensor named 'b' was saved before this layer (saved: a); add [Save(\"b\")] earlier"),
        ["CG0008 unprintable skip name"] = Layers("[Network(2, 8, 8)]\n[Save(\"a\\rb\"), Conv2d(2, 3, Padding = 1)]\n[Add(\"a\\rb\")]",
            "CG0008", "\"a\\rb\"", "Save #0: the tensor name must be printable: no control or line-break characters or unpaired surrogates, since it is written into the generated code; remove them", "Save(\"a\\rb\")"),
        ["CG0008 line separator in an added name"] = Layers("[Network(2, 8, 8)]\n[Save(\"a\"), Conv2d(2, 3, Padding = 1)]\n[Add(\"a\\u2028\")]",
            "CG0008", "\"a\\u2028\"", "Add #2: the tensor name must be printable: no control or line-break characters or unpaired surrogates, since it is written into the generated code; remove them"),
        ["CG0012 lone surrogate in a layer name"] = Layers("[Network(2, 8, 8)]\n[Conv2d(2, 3, Name = \"c\\uD800\")]",
            "CG0012", "Name = \"c\\uD800\"", "Conv2d #0 'c\uD800': the layer name must be a state_dict prefix: dot-separated, non-empty segments (\"conv1\", \"layer1.0.conv1\") without control or line-break characters or unpaired surrogates"),
        ["CG0008 nothing saved"] = Layers("[Network(2, 8, 8)]\n[Concat(\"skip\")]",
            "CG0008", "\"skip\"", "Concat #0: no tensor named 'skip' was saved before this layer (none saved yet); add [Save(\"skip\")] earlier"),
        ["CG0008 add shapes differ"] = Layers("[Network(2, 8, 8)]\n[Save(\"x\"), Conv2d(4, 3, Padding = 1), Add(\"x\")]",
            "CG0008", "\"x\"", "Add #2: cannot add 'x' [2, 8, 8] to the current tensor [4, 8, 8]: shapes differ; use [Add(\"x\", Projection = true)] for a 1x1 conv + BatchNorm projection", "Add(\"x\")"),
        ["CG0008 concat sizes differ"] = Layers("[Network(2, 8, 8)]\n[Save(\"x\"), MaxPool2d(2), Concat(\"x\")]",
            "CG0008", "\"x\"", "Concat #2: cannot concatenate 'x' [2, 8, 8] with the current tensor [2, 4, 4]: spatial sizes differ, and Concat joins channels position by position; resample one to the other's size first (Upsample, pooling or a strided convolution), or save the tensor where the sizes match", "Concat(\"x\")"),
        ["CG0008 duplicate save"] = Layers("[Network(2, 8, 8)]\n[Save(\"x\"), ReLU, Save(\"x\")]",
            "CG0008", "\"x\"", "Save #2: a tensor named 'x' was already saved; give each skip connection its own name", "Save(\"x\")]"),
        ["CG0008 empty save name"] = Layers("[Network(2, 8, 8)]\n[Save(\"\")]",
            "CG0008", "\"\"", "Save #0: needs a non-empty tensor name, which pairs it with the Save or the Add/Concat on the other end; name both the same, e.g. [Save(\"skip1\")]"),
        ["CG0008 no projection stride fits"] = Layers("[Network(2, 8, 8)]\n[Save(\"x\"), Conv2d(4, 3)]\n[Add(\"x\", Projection = true)]",
            "CG0008", "Projection = true", "Add #2: no 1x1 convolution stride maps 'x' [2, 8, 8] onto [4, 6, 6]: floor((n - 1)/s) + 1 with n = 8 is 8, 4, 3, 2, … for s = 1, 2, 3, … along the height, never 6, so the projected tensor cannot be added; keep the sizes in step (e.g. Padding = 1 on 3x3 convolutions, or a stride that divides the size)"),
        ["CG0008 projection onto a flat tensor"] = Layers("[Network(2, 8, 8)]\n[Save(\"x\"), Flatten, Linear(4)]\n[Add(\"x\", Projection = true)]",
            "CG0008", "Projection = true", "Add #3: cannot project 'x' [2, 8, 8] onto [4]: a projection is a strided 1x1 convolution, so it needs two spatial tensors of the same rank; add the skip connection before the layers that flatten or change the rank"),

        // CG0010: border modes.
        ["CG0010 reflect padding too large"] = Layers("[Network(1, 4, 4)]\n[Conv2d(2, 3, PaddingMode = PaddingMode.Reflect, Padding = 4)]",
            "CG0010", "PaddingMode = PaddingMode.Reflect", "Conv2d #0: reflect padding must be smaller than the input: padding (top 4, bottom 4, left 4, right 4) on input [1, 4, 4] needs max(p) < n, but 4 >= 4, so there is no pixel to mirror and PyTorch rejects it; use PaddingMode.Replicate or padding of at most 3"),
        ["CG0010 circular padding too large"] = Layers("[Network(1, 4)]\n[Conv1d(2, 3, PaddingMode = PaddingMode.Circular, PadLeft = 5)]",
            "CG0010", "PaddingMode = PaddingMode.Circular", "Conv1d #0: circular padding must not exceed the input: padding (top 0, bottom 0, left 5, right 0) on input [1, 4] needs max(p) <= n, but 5 > 4, so the wrap-around would reach past the other edge and PyTorch rejects it; use PaddingMode.Replicate or padding of at most 4"),
        ["CG0010 transposed with a border mode"] = Layers("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 3, PaddingMode = PaddingMode.Reflect)]",
            "CG0010", "PaddingMode = PaddingMode.Reflect", "ConvTranspose2d #0: transposed convolutions support only zeros padding (PyTorch rejects padding_mode 'reflect', so the layer cannot be compiled): a transposed convolution crops its padding rather than reading it; remove PaddingMode"),

        // CG0012: the class.
        ["CG0012 not partial"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic class Net\n{\n}",
            "CG0012", "Network 'Net' must be declared 'partial' so that ConvGen can add its generated members", "class Net"),
        ["CG0012 nested"] = Class("public partial class Outer\n{\n    [Network(1, 8, 8)]\n    [ReLU]\n    public partial class Net\n    {\n    }\n}",
            "CG0012", "Network 'Net' is nested in 'Outer'; declare networks as top-level classes", "class Net"),
        ["CG0012 generic"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic partial class Net<T>\n{\n}",
            "CG0012", "Network 'Net' is generic; a network's shapes are fixed, so it cannot have type parameters", "class Net"),
        ["CG0012 static"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic static partial class Net\n{\n}",
            "CG0012", "Network 'Net' must be a non-static, non-abstract class: ConvGen creates instances of it; remove 'static' or 'abstract'", "class Net"),
        ["CG0012 abstract"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic abstract partial class Net\n{\n}",
            "CG0012", "Network 'Net' must be a non-static, non-abstract class: ConvGen creates instances of it; remove 'static' or 'abstract'", "class Net"),
        ["CG0012 record"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic partial record Net;",
            "CG0012", "Network 'Net' is a record; declare networks as 'partial class'", "record Net"),
        ["CG0012 reserved name"] = new("using ConvGen;\n\nnamespace Tests;\n\n[Network(1, 8, 8)]\n[ReLU]\npublic partial class Trainer\n{\n}\n",
            "CG0012", "Trainer", "Network 'Trainer' has the name of a type ConvGen nests in every network (Trainer, ConvGenKernels, ConvGenWorkspace); rename the class", "class Trainer", Usable: false),
        ["CG0012 reserved workspace name"] = new("using ConvGen;\n\nnamespace Tests;\n\n[Network(1, 8, 8)]\n[ReLU]\npublic partial class ConvGenWorkspace\n{\n}\n",
            "CG0012", "ConvGenWorkspace", "Network 'ConvGenWorkspace' has the name of a type ConvGen nests in every network (Trainer, ConvGenKernels, ConvGenWorkspace); rename the class", "class ConvGenWorkspace", Usable: false),
        ["CG0012 struct"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic partial struct Net\n{\n}",
            "CG0012", "Network 'Net' is a struct; declare networks as 'partial class'", "struct Net"),
        ["CG0012 primary constructor"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic partial class Net(int unused)\n{\n}",
            "CG0012", "Network 'Net' has a primary constructor; ConvGen generates the constructor Net(ModelWeights), so remove the parameter list", "class Net("),
        ["CG0012 user constructor from weights"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic partial class Net\n{\n    public Net(ModelWeights weights) { }\n}",
            "CG0012", "Network 'Net' declares the constructor Net(ModelWeights), which ConvGen generates; remove it (or give it other parameters and call this one)", "class Net\n"),
        ["CG0012 member named like a generated one"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic partial class Net\n{\n    public int InputLength => 3;\n}",
            "CG0012", "Network 'Net' declares 'InputLength', a member ConvGen generates in every network; rename it", "class Net\n"),
        ["CG0012 nested Trainer type"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic partial class Net\n{\n    public class Trainer { }\n}",
            "CG0012", "Network 'Net' declares 'Trainer', a member ConvGen generates in every network; rename it", "class Net\n"),
        ["CG0012 file-local"] = Class("[Network(1, 8, 8)]\n[ReLU]\nfile partial class Net\n{\n}",
            "CG0012", "Network 'Net' is file-local; ConvGen adds its members from another file, so declare it 'public' or 'internal'", "class Net"),
        ["CG0012 layers on two partial declarations"] = Class("[Network(1, 8, 8)]\n[ReLU]\npublic partial class Net\n{\n}\n\n[Sigmoid]\npublic partial class Other { }\n\n[Tanh]\npartial class Net\n{\n}",
            "CG0012", "Network 'Net' declares layers on more than one partial declaration; their order would be ambiguous, so keep all layer attributes on one declaration", "class Net\n{\n}\n\n[Sigmoid]", usable: true),

        // CG0012: the network attribute.
        ["CG0012 no layers"] = Layers("[Network(1, 8, 8)]",
            "CG0012", "Network(1, 8, 8)", "Network declares no layers; add layer attributes such as [Conv2d(8, 3)]"),
        ["CG0012 empty input"] = Layers("[Network(0, 8, 8)]\n[ReLU]",
            "CG0012", "Network(0, 8, 8)", "Network input [0, 8, 8] must have positive channels and sizes: a sample with a zero or negative extent holds nothing to compute; give every size of [Network(...)] a value of 1 or more"),
        ["CG0012 name equal to a default state_dict prefix"] = Layers("[Network(1, 4)]\n[Conv1d(1, 1), Conv1d(1, 1, Name = \"0\")]",
            "CG0012", "Name = \"0\"", "Conv1d #1 '0': its state_dict keys would start with '0.', as those of Conv1d #0 do; every key must be unique, so rename one of the two layers"),
        ["CG0012 name equal to a projection's prefix"] = Layers("[Network(2, 8, 8)]\n[Save(\"x\"), Conv2d(4, 3, Padding = 1, Bias = false, Name = \"2.0\"), Add(\"x\", Projection = true)]",
            "CG0012", "Add(\"x\", Projection = true)", "Add #2: its state_dict keys would start with '2.0.', as those of Conv2d #1 '2.0' do; every key must be unique, so rename one of the two layers"),
        ["CG0012 undefined layout"] = Layers("[Network(1, 8, 8, Layout = (TensorLayout)7)]\n[ReLU]",
            "CG0012", "Layout = (TensorLayout)7", "Network 'Net': Layout has the undefined value 7; use TensorLayout.Nchw or TensorLayout.Nhwc"),
        ["CG0012 empty 1-D input"] = Layers("[Network(2, 0)]\n[ReLU]",
            "CG0012", "Network(2, 0)", "Network input [2, 0] must have positive channels and sizes: a sample with a zero or negative extent holds nothing to compute; give every size of [Network(...)] a value of 1 or more"),

        // CG0012: layers that do not fit the tensor.
        ["CG0012 2-D layer in a 1-D network"] = Layers("[Network(2, 16)]\n[Conv1d(4, 3), MaxPool2d(2)]",
            "CG0012", "MaxPool2d(2)", "MaxPool2d #1: is a 2-D layer in a 1-D network (input [4, 14]); use its 1d form"),
        ["CG0012 1-D layer in a 2-D network"] = Layers("[Network(2, 8, 8)]\n[Conv1d(4, 3)]",
            "CG0012", "Conv1d(4, 3)", "Conv1d #0: is a 1-D layer in a 2-D network (input [2, 8, 8]); use its 2d form"),
        ["CG0012 spatial layer after Flatten"] = Layers("[Network(2, 8, 8)]\n[Flatten, Conv2d(4, 3)]",
            "CG0012", "Conv2d(4, 3)", "Conv2d #1: needs spatial dimensions, but its input [128] is flat (after Flatten or Linear); move it before the Flatten"),
        ["CG0012 Linear without Flatten"] = Layers("[Network(2, 8, 8)]\n[Conv2d(4, 3), Linear(10)]",
            "CG0012", "Linear(10)", "Linear #1: needs a flat input, but its input is [4, 6, 6]; insert [Flatten] before it"),
        ["CG0012 BatchNorm2d on a flat tensor"] = Layers("[Network(2, 8, 8)]\n[Flatten, BatchNorm2d]",
            "CG0012", "BatchNorm2d", "BatchNorm2d #1: needs a [C, H, W] input, but its input is [128]; use BatchNorm1d"),

        // CG0012: argument values.
        ["CG0012 negative padding"] = Layers("[Network(2, 8, 8)]\n[Conv2d(4, 3, PadLeft = -1)]",
            "CG0012", "PadLeft = -1", "Conv2d #0: padding must not be negative, but is -1; use 0 or more"),
        ["CG0012 pool padding over half the window"] = Layers("[Network(2, 8, 8)]\n[MaxPool2d(2, Padding = 2)]",
            "CG0012", "Padding = 2", "MaxPool2d #0: padding (2, 2) must be at most half the window (2, 2), as PyTorch requires: a window centred that far out would read only padding; use Padding of at most half the kernel"),
        ["CG0012 1-D pool padding over half the window"] = Layers("[Network(2, 16)]\n[AvgPool1d(3, Padding = 2)]",
            "CG0012", "Padding = 2", "AvgPool1d #0: padding (2) must be at most half the window (3), as PyTorch requires: a window centred that far out would read only padding; use Padding of at most half the kernel"),
        ["CG0012 duplicate layer name"] = Layers("[Network(2, 8, 8)]\n[Conv2d(4, 3, Padding = 1, Name = \"conv\"), ReLU]\n[Conv2d(4, 3, Padding = 1, Name = \"conv\")]",
            "CG0012", "Name = \"conv\"", "Conv2d #2 'conv': the name 'conv' is used by an earlier layer; parameter names must be unique, or two layers would share state_dict keys; rename one of them", "Name = \"conv\")]"),
        ["CG0012 same with explicit padding"] = Layers("[Network(2, 8, 8)]\n[Conv2d(4, 3, Pad = Pad.Same, Padding = 1)]",
            "CG0012", "Pad = Pad.Same", "Conv2d #0: padding 'same' is combined with explicit padding numbers; use one or the other"),
        ["CG0012 valid with explicit padding"] = Layers("[Network(2, 16)]\n[Conv1d(4, 3, Pad = Pad.Valid, PadRight = 1)]",
            "CG0012", "Pad = Pad.Valid", "Conv1d #0: padding 'valid' is combined with explicit padding numbers; use one or the other"),
        ["CG0012 zero out_channels"] = Layers("[Network(2, 8, 8)]\n[Conv2d(0, 3)]",
            "CG0012", "0", "Conv2d #0: out_channels must be at least 1, but is 0; use 1 or more"),
        ["CG0012 zero kernel"] = Layers("[Network(2, 16)]\n[Conv1d(4, 0)]",
            "CG0012", "0", "Conv1d #0: kernel size must be at least 1, but is 0; use 1 or more"),
        ["CG0012 zero stride"] = Layers("[Network(2, 16)]\n[Conv1d(4, 3, Stride = 0)]",
            "CG0012", "Stride = 0", "Conv1d #0: stride must be at least 1, but is 0; use 1 or more"),
        ["CG0012 zero dilation"] = Layers("[Network(2, 16)]\n[MaxPool1d(2, Dilation = 0)]",
            "CG0012", "Dilation = 0", "MaxPool1d #0: dilation must be at least 1, but is 0; use 1 or more"),
        ["CG0012 zero out_features"] = Layers("[Network(2, 8, 8)]\n[Flatten, Linear(0)]",
            "CG0012", "0", "Linear #1: out_features must be at least 1, but is 0; use 1 or more"),
        ["CG0012 BatchNorm eps"] = Layers("[Network(2, 8, 8)]\n[BatchNorm2d(Eps = 0)]",
            "CG0012", "Eps = 0", "BatchNorm2d #0: eps must be positive, but is 0: it keeps 1/sqrt(var + eps) finite; use a small positive value such as PyTorch's default 1e-5"),
        ["CG0012 BatchNorm momentum"] = Layers("[Network(2, 16)]\n[BatchNorm1d(Momentum = 1.5)]",
            "CG0012", "Momentum = 1.5", "BatchNorm1d #0: momentum must be in [0, 1], but is 1.5: it weighs the new batch statistics in the running ones; use a value in that range, such as PyTorch's default 0.1"),
        ["CG0012 dropout probability"] = Layers("[Network(2, 8, 8)]\n[Dropout(P = 1)]",
            "CG0012", "P = 1", "Dropout #0: dropout probability must be in [0, 1), but is 1: at 1 every value would be dropped; use a value from 0 up to, not including, 1"),
        ["CG0012 pixel shuffle channels"] = Layers("[Network(3, 4, 4)]\n[PixelShuffle(2)]",
            "CG0012", "2", "PixelShuffle #0: input channels 3 are not divisible by r² = 4 (3 / 4 = 0.75), so they cannot be regrouped into r × r blocks; give the layer before it 4 output channels", "PixelShuffle(2)"),
        ["CG0012 pixel unshuffle size"] = Layers("[Network(1, 5, 5)]\n[PixelUnshuffle(2)]",
            "CG0012", "2", "PixelUnshuffle #0: input size 5x5 is not divisible by r = 2, so it cannot be cut into r × r blocks; make it a multiple of 2 (e.g. 4x4) by padding or cropping before it", "PixelUnshuffle(2)"),
        ["CG0012 zero upsample"] = Layers("[Network(1, 5, 5)]\n[Upsample(0)]",
            "CG0012", "0", "Upsample #0: scale factor must be at least 1, but is 0; use 1 or more", "Upsample(0)"),
    };

    /// <summary>
    /// The location must be the argument the rule blames even when an earlier argument shares its prefix
    /// (PaddingMode/Padding/Pad, StrideW/StrideH, OutputPaddingW/H, kernelHeight/kernelWidth).
    /// </summary>
    private static readonly Dictionary<string, Case> ArgumentOrderCases = new(System.StringComparer.Ordinal)
    {
        ["'same' with stride, PaddingMode written first"] = Layers("[Network(3, 8, 8)]\n[Conv2d(8, 3, PaddingMode = PaddingMode.Replicate, Pad = Pad.Same, Stride = 2)]",
            "CG0003", "Pad = Pad.Same", "Conv2d #0: padding 'same' needs stride 1, but the stride is (2, 2): PyTorch rejects it, because a strided output cannot keep the input size; use Padding = 1 (d(k-1)/2 = 1*(3-1)/2 = 1)"),
        ["causal on 2-D, PaddingMode written first"] = Layers("[Network(3, 8, 8)]\n[Conv2d(8, 3, PaddingMode = PaddingMode.Reflect, Pad = Pad.Causal)]",
            "CG0004", "Pad = Pad.Causal", "Conv2d #0: causal padding applies to 1-D convolutions only; a 2-D convolution has no time axis"),
        ["transposed border mode, Padding written first"] = Layers("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 3, Padding = 1, PaddingMode = PaddingMode.Reflect)]",
            "CG0010", "PaddingMode = PaddingMode.Reflect", "ConvTranspose2d #0: transposed convolutions support only zeros padding (PyTorch rejects padding_mode 'reflect', so the layer cannot be compiled): a transposed convolution crops its padding rather than reading it; remove PaddingMode"),
        ["vertical stride, StrideW written first"] = Layers("[Network(2, 8, 8)]\n[Conv2d(4, 3, StrideW = 1, StrideH = 0)]",
            "CG0012", "StrideH = 0", "Conv2d #0: vertical stride must be at least 1, but is 0; use 1 or more"),
        ["output_padding height, width written first"] = Layers("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 3, Stride = 2, OutputPaddingW = 1, OutputPaddingH = 2)]",
            "CG0006", "OutputPaddingH = 2", "ConvTranspose2d #0: output_padding is out of range along the height (output_padding 2, but max(s, d) - 1 = max(2, 1) - 1 = 1 is the largest allowed): PyTorch rejects output_padding that is not smaller than the stride or the dilation, so the layer cannot be compiled; use OutputPaddingH = 1, the largest output size a stride-s convolution maps back to this input"),
        ["kernel width, height written first"] = Layers("[Network(2, 8, 8)]\n[Conv2d(4, 3, 0)]",
            "CG0012", "0", "Conv2d #0: kernel width must be at least 1, but is 0; use 1 or more", "Conv2d(4, 3, 0)"),
    };

    public static TheoryData<string> CaseNames => Names(Cases);

    public static TheoryData<string> ArgumentOrderCaseNames => Names(ArgumentOrderCases);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Reports(string name) => AssertReports(Cases[name]);

    [Theory]
    [MemberData(nameof(ArgumentOrderCaseNames))]
    public void Location_IsTheBlamedArgument_WhateverTheArgumentOrder(string name) => AssertReports(ArgumentOrderCases[name]);

    [Fact]
    public void EveryErrorRule_IsCovered()
    {
        var ids = Cases.Values.Select(c => c.Id).Distinct().OrderBy(i => i, System.StringComparer.Ordinal);

        Assert.Equal(new[] { "CG0001", "CG0003", "CG0004", "CG0006", "CG0007", "CG0008", "CG0010", "CG0012" }, ids);
        Assert.Equal(
            ids,
            ConvGen.Analyzers.DiagnosticDescriptors.ById.Values.Where(d => d.DefaultSeverity == DiagnosticSeverity.Error).Select(d => d.Id).Order(System.StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("[Network(2, 8, 8)]\n[Conv2d(4, 3, Padding = -1)]")]
    [InlineData("[Network(2, 8, 8)]\n[ConvTranspose2d(4, 3, Stride = 2, OutputPadding = 2)]")]
    [InlineData("[Network(2, 8, 8)]\n[Conv2d(4, 3, Stride = 0)]")]
    [InlineData("[Network(2, 8, 8)]\n[Conv2d(4, 0)]")]
    [InlineData("[Network(2, 8, 8)]\n[MaxPool2d(2, Dilation = 0)]")]
    public void OneMistake_IsReportedOnce(string attributes)
    {
        // A single argument that sets several sides or axes (Padding, OutputPadding) is one mistake:
        // the same message at the same place more than once is noise in the error list.
        var diagnostics = GeneratorHarness.Run(GeneratorHarness.Declare(attributes)).AnalyzerDiagnostics;

        Assert.NotEmpty(diagnostics);
        var repeated = diagnostics
            .GroupBy(d => (d.Id, d.Location.SourceSpan, Message: d.GetMessage(CultureInfo.InvariantCulture)))
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Count()} x {g.Key.Id} {g.Key.Message}")
            .ToList();
        Assert.True(repeated.Count == 0, string.Join("\n", repeated));

        // Nor the same place twice with two messages (one argument that sets both axes: "vertical" and "horizontal").
        var twice = diagnostics.GroupBy(d => (d.Id, d.Location.SourceSpan)).Where(g => g.Count() > 1)
            .Select(g => string.Join(" / ", g.Select(d => d.GetMessage(CultureInfo.InvariantCulture)))).ToList();
        Assert.True(twice.Count == 0, string.Join("\n", twice));
    }

    [Fact]
    public void ErrorsInSeveralNetworks_AreAllReported_AndValidOnesStillCompile()
    {
        var result = GeneratorHarness.Run(
            Cases["CG0001 in_channels not divisible"].Source,
            Cases["CG0008 unknown skip name"].Source.Replace("class Net", "class Net2", System.StringComparison.Ordinal),
            Neighbour);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Equal(new[] { "CG0001", "CG0008" }, result.AnalyzerDiagnostics.Select(d => d.Id).OrderBy(i => i, System.StringComparer.Ordinal));
        Assert.Equal(new[] { "Tests.Neighbour.g.cs", "Tests.Net.g.cs", "Tests.Net2.g.cs" }, result.Sources.Keys.Order(System.StringComparer.Ordinal));
        Assert.True(GeneratorRuns.IsStub(result.Sources["Tests.Net.g.cs"]));
        Assert.True(GeneratorRuns.IsStub(result.Sources["Tests.Net2.g.cs"]));
        Assert.True(GeneratorRuns.IsKernels(result.Sources["Tests.Neighbour.g.cs"]));
        Assert.Empty(GeneratorRuns.CompileProblems(result.Compilation));
    }

    [Fact]
    public void ALanguageVersionBelow10_GetsACG0012_AndNoGeneratedCode()
    {
        // The generated code needs C# 10; with C# 9 it used to add raw CS8773 errors instead.
        const string Source = "using ConvGen;\n\nnamespace Tests\n{\n    [Network(1, 8, 8)]\n    [ReLU]\n    public partial class Net\n    {\n    }\n}\n";
        var result = GeneratorHarness.Run(new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp9), Source);

        var diagnostic = Assert.Single(result.AnalyzerDiagnostics);
        Assert.Equal("CG0012", diagnostic.Id);
        Assert.Equal(
            "Network 'Net': ConvGen's generated code needs C# 10 or later, but this project compiles C# 9.0; set <LangVersion> to 10 or later, or remove it (.NET 6 and later default to C# 10 or later)",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Empty(result.Sources);
        Assert.Empty(GeneratorRuns.CompileProblems(result.Compilation));
    }

    [Fact]
    public void Descriptors_AreErrorsInTheDesignCategory()
    {
        foreach (var c in Cases.Values.GroupBy(c => c.Id).Select(g => g.First()))
        {
            var diagnostic = GeneratorHarness.Run(c.Source).AnalyzerDiagnostics.First();
            Assert.Equal(c.Id, diagnostic.Descriptor.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Descriptor.DefaultSeverity);
            Assert.True(diagnostic.Descriptor.IsEnabledByDefault);
            Assert.Equal("ConvGen.Design", diagnostic.Descriptor.Category);
            Assert.False(string.IsNullOrWhiteSpace(diagnostic.Descriptor.Title.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static void AssertReports(Case c)
    {
        // The user's code that uses every member of Net comes along whenever the class can take members.
        var sources = c.Usable ? new[] { c.Source, Neighbour, GeneratorRuns.Usage() } : new[] { c.Source, Neighbour };
        var result = GeneratorHarness.Run(sources);
        Assert.Empty(result.GeneratorDiagnostics);
        var diagnostic = Assert.Single(result.AnalyzerDiagnostics);

        Assert.Equal(c.Id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(c.Message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(c.Located, GeneratorRuns.SpanText(diagnostic, result.Compilation));

        // The location is the intended occurrence, and its line/column agree with its span.
        string within = c.Within ?? c.Located;
        int at = c.Source.IndexOf(within, System.StringComparison.Ordinal);
        Assert.True(at >= 0 && c.Source.IndexOf(within, at + 1, System.StringComparison.Ordinal) < 0, $"'{within}' must occur once in the case's source");
        var span = diagnostic.Location.SourceSpan;
        Assert.True(span.Start >= at && span.End <= at + within.Length, $"the diagnostic points at {span}, outside '{within}' at {at}");
        var text = Microsoft.CodeAnalysis.Text.SourceText.From(c.Source);
        Assert.Equal(text.Lines.GetLinePositionSpan(span), diagnostic.Location.GetLineSpan().Span);
        Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);

        // No kernels for the broken network: a stub if its class can take members, else nothing. The valid
        // neighbour still gets kernels.
        Assert.True(GeneratorRuns.IsKernels(result.Sources["Tests.Neighbour.g.cs"]));
        if (c.Usable)
        {
            Assert.Equal(new[] { "Tests.Neighbour.g.cs", "Tests.Net.g.cs" }, result.Sources.Keys.Order(System.StringComparer.Ordinal));
            Assert.True(GeneratorRuns.IsStub(result.Sources["Tests.Net.g.cs"]), result.Sources["Tests.Net.g.cs"]);

            // No cascade: the user's code and the stub compile; the analyzer's error is the only one. (Only these trees
            // are bound: the neighbour's kernels are compiled by ErrorsInSeveralNetworks_AreAllReported_AndValidOnesStillCompile.)
            var errors = result.Compilation.SyntaxTrees
                .Where(t => !t.FilePath.EndsWith("Tests.Neighbour.g.cs", System.StringComparison.Ordinal))
                .SelectMany(t => result.Compilation.GetSemanticModel(t).GetDiagnostics())
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .ToList();
            Assert.True(errors.Count == 0, "the user's code does not compile against the stub:\n" + string.Join("\n", errors));
        }
        else
        {
            Assert.Equal(new[] { "Tests.Neighbour.g.cs" }, result.Sources.Keys);
        }
    }

    private static TheoryData<string> Names(Dictionary<string, Case> cases)
    {
        var data = new TheoryData<string>();
        foreach (var name in cases.Keys)
        {
            data.Add(name);
        }

        return data;
    }
}
