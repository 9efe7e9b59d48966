import { create, toBinary } from '@bufbuild/protobuf';
import type { OnnxAttribute } from '@whittle/graph';
import {
  AttributeProto_AttributeType, AttributeProtoSchema, GraphProtoSchema, ModelProtoSchema, NodeProtoSchema, OperatorSetIdProtoSchema, TensorProto_DataType,
  TensorProtoSchema, TensorShapeProto_DimensionSchema, TensorShapeProtoSchema, TypeProto_TensorSchema, TypeProtoSchema, ValueInfoProtoSchema,
  type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from 'onnx-buf';

/** The ONNX opset the exporter writes (HardSwish needs 14; ORT 1.30 runs up to 23). */
export const ONNX_OPSET = 17;
/** IR version 8 (ONNX 1.10+), which every ORT since 1.10 reads. */
export const ONNX_IR_VERSION = 8;

/** A float32 initializer, kept editable until the model is written (BatchNorm folding rescales them). */
interface FloatInitializer {
  values: Float32Array;
  readonly dims: readonly number[];
}

/** A graph input or output: its name and shape (`null` dims become the symbolic `batch`). */
export interface OnnxEndpoint {
  readonly name: string;
  readonly shape: readonly (number | null)[];
}

function attribute(name: string, value: OnnxAttribute): AttributeProto {
  if ('int' in value) return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(value.int) });
  if ('ints' in value) return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: value.ints.map((v) => BigInt(v)) });
  if ('float' in value) return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: value.float });
  if ('floats' in value) return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOATS, floats: [...value.floats] });
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.STRING, s: new TextEncoder().encode(value.string) });
}

function valueInfo(endpoint: OnnxEndpoint): ValueInfoProto {
  const dim = endpoint.shape.map((d) => create(TensorShapeProto_DimensionSchema, { value: d === null ? { case: 'dimParam', value: 'batch' } : { case: 'dimValue', value: BigInt(d) } }));
  return create(ValueInfoProtoSchema, {
    name: endpoint.name,
    type: create(TypeProtoSchema, { value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType: TensorProto_DataType.FLOAT, shape: create(TensorShapeProtoSchema, { dim }) }) } }),
  });
}

function bytesOf(view: Float32Array | BigInt64Array): Uint8Array<ArrayBuffer> {
  // ONNX raw data is little-endian, as typed arrays are on every platform Node runs on.
  const copy = new Uint8Array(view.byteLength);
  copy.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return copy;
}

/**
 * Collects the nodes and initializers of one ONNX graph and writes the ModelProto (with
 * `onnx-buf`'s generated protobuf code). Names are made unique here: a hint such as
 * `conv1/kernel` becomes `conv1/kernel`, then `conv1/kernel_1`, ….
 *
 * ```ts
 * const g = new OnnxGraphBuilder('tiny');
 * const w = g.floatInitializer('w', new Float32Array([2]), []);
 * const y = g.node('Mul', ['x', w], {}, 'y');
 * const bytes = g.toBytes([{ name: 'x', shape: [null, 4] }], [{ name: y, shape: [null, 4] }]);
 * ```
 */
export class OnnxGraphBuilder {
  private readonly used = new Set<string>();
  private readonly nodes: NodeProto[] = [];
  private readonly floats = new Map<string, FloatInitializer>();
  private readonly ints = new Map<string, BigInt64Array>();
  private readonly intDims = new Map<string, readonly number[]>();

  constructor(private readonly graphName: string) {}

  /** A name not used yet, from `hint` (graph inputs and outputs reserve theirs with this too). */
  uniqueName(hint: string): string {
    const base = hint.length === 0 ? 'value' : hint;
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  floatInitializer(hint: string, values: Float32Array, dims: readonly number[]): string {
    const name = this.uniqueName(hint);
    this.floats.set(name, { values, dims: [...dims] });
    return name;
  }

  intInitializer(hint: string, values: readonly number[], dims: readonly number[]): string {
    const name = this.uniqueName(hint);
    this.ints.set(name, BigInt64Array.from(values.map((v) => BigInt(v))));
    this.intDims.set(name, [...dims]);
    return name;
  }

  /** A float initializer's values and dims, to edit in place (folding). */
  float(name: string): FloatInitializer | undefined {
    return this.floats.get(name);
  }

  /** Adds a node; returns its (one) output's name, `output` or a unique name from `hint`. */
  node(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttribute>>, hint: string, output?: string): string {
    const out = output ?? this.uniqueName(hint);
    this.nodes.push(create(NodeProtoSchema, {
      opType, input: [...inputs], output: [out], name: out,
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    }));
    return out;
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** How many nodes of each op type the graph has. */
  opCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const n of this.nodes) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
    return counts;
  }

  /** The serialised ModelProto (opset ONNX_OPSET, IR ONNX_IR_VERSION), initializers as raw little-endian data. */
  toBytes(inputs: readonly OnnxEndpoint[], outputs: readonly OnnxEndpoint[]): Uint8Array {
    const initializer: TensorProto[] = [];
    for (const [name, { values, dims }] of this.floats) {
      initializer.push(create(TensorProtoSchema, { name, dims: dims.map((d) => BigInt(d)), dataType: TensorProto_DataType.FLOAT, rawData: bytesOf(values) }));
    }
    for (const [name, values] of this.ints) {
      initializer.push(create(TensorProtoSchema, { name, dims: (this.intDims.get(name) ?? []).map((d) => BigInt(d)), dataType: TensorProto_DataType.INT64, rawData: bytesOf(values) }));
    }
    const graph = create(GraphProtoSchema, { name: this.graphName, node: this.nodes, initializer, input: inputs.map(valueInfo), output: outputs.map(valueInfo) });
    const model = create(ModelProtoSchema, {
      irVersion: BigInt(ONNX_IR_VERSION), producerName: 'whittle', producerVersion: '0.1.0', graph,
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(ONNX_OPSET) })],
    });
    return toBinary(ModelProtoSchema, model);
  }
}
