using System.Collections.Generic;

namespace ConvGen.Benchmarks.Onnx;

/// <summary>
/// Serializes a graph as an ONNX ModelProto (IR version 8, default-domain opset 17).
/// Field numbers follow onnx.proto (checked against onnx 1.12's copy).
/// </summary>
internal static class OnnxModelEncoder
{
    public const long IrVersion = 8;
    public const long OpsetVersion = 17;
    private const int FloatElementType = 1; // TensorProto.DataType.FLOAT

    public static byte[] Encode(
        string graphName,
        IReadOnlyList<OnnxNode> nodes,
        IReadOnlyList<OnnxInitializer> initializers,
        (string Name, IReadOnlyList<long> Shape) input,
        (string Name, IReadOnlyList<long> Shape) output)
    {
        var model = new ProtoWriter();
        model.WriteInt64(1, IrVersion);                  // ModelProto.ir_version
        model.WriteString(2, "ConvGen.Benchmarks");      // ModelProto.producer_name
        model.WriteMessage(7, graph =>                   // ModelProto.graph
        {
            foreach (OnnxNode node in nodes)
            {
                graph.WriteMessage(1, w => WriteNode(w, node));        // GraphProto.node
            }

            graph.WriteString(2, graphName);                           // GraphProto.name
            foreach (OnnxInitializer initializer in initializers)
            {
                graph.WriteMessage(5, w => WriteTensor(w, initializer)); // GraphProto.initializer
            }

            graph.WriteMessage(11, w => WriteValueInfo(w, input.Name, input.Shape));   // GraphProto.input
            graph.WriteMessage(12, w => WriteValueInfo(w, output.Name, output.Shape)); // GraphProto.output
        });
        model.WriteMessage(8, opset => opset.WriteInt64(2, OpsetVersion)); // ModelProto.opset_import: OperatorSetIdProto.version, domain "" (ai.onnx)
        return model.ToArray();
    }

    private static void WriteNode(ProtoWriter w, OnnxNode node)
    {
        foreach (string input in node.Inputs)
        {
            w.WriteString(1, input);      // NodeProto.input
        }

        foreach (string output in node.Outputs)
        {
            w.WriteString(2, output);     // NodeProto.output
        }

        w.WriteString(3, node.Name);      // NodeProto.name
        w.WriteString(4, node.OpType);    // NodeProto.op_type
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            w.WriteMessage(5, a => WriteAttribute(a, attribute)); // NodeProto.attribute
        }
    }

    private static void WriteAttribute(ProtoWriter w, OnnxAttribute attribute)
    {
        w.WriteString(1, attribute.Name);                 // AttributeProto.name
        switch (attribute.Kind)
        {
            case OnnxAttributeKind.Float:
                w.WriteFloat(2, attribute.Float);         // AttributeProto.f
                break;
            case OnnxAttributeKind.Int:
                w.WriteInt64(3, attribute.Int);           // AttributeProto.i
                break;
            case OnnxAttributeKind.Ints:
                foreach (long value in attribute.Ints)
                {
                    w.WriteInt64(8, value);               // AttributeProto.ints (proto2: unpacked)
                }

                break;
        }

        w.WriteInt64(20, (long)attribute.Kind);           // AttributeProto.type
    }

    private static void WriteTensor(ProtoWriter w, OnnxInitializer tensor)
    {
        foreach (long dim in tensor.Dims)
        {
            w.WriteInt64(1, dim);                          // TensorProto.dims
        }

        w.WriteInt64(2, FloatElementType);                 // TensorProto.data_type
        w.WriteString(8, tensor.Name);                     // TensorProto.name
        w.WriteFloatsAsBytes(9, tensor.Data);              // TensorProto.raw_data
    }

    private static void WriteValueInfo(ProtoWriter w, string name, IReadOnlyList<long> shape)
    {
        w.WriteString(1, name);                            // ValueInfoProto.name
        w.WriteMessage(2, type =>                          // ValueInfoProto.type
            type.WriteMessage(1, tensor =>                 // TypeProto.tensor_type
            {
                tensor.WriteInt64(1, FloatElementType);    // TypeProto.Tensor.elem_type
                tensor.WriteMessage(2, s =>                // TypeProto.Tensor.shape
                {
                    foreach (long dim in shape)
                    {
                        s.WriteMessage(1, d => d.WriteInt64(1, dim)); // TensorShapeProto.dim -> Dimension.dim_value
                    }
                });
            }));
    }
}
