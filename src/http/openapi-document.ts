/**
 * Repairs of the document @hono/zod-openapi generates, applied once when /openapi.json is first built.
 *
 * zod-to-openapi writes a nullable reference to a registered schema (`Stats.nullable()`) as
 * `allOf: [{$ref: Stats}, {type: ["object", "null"], …}]`, which no value `null` can satisfy (it must match the
 * `$ref` too): generated clients then type the field as never null although the API returns null. Here such a
 * node becomes `anyOf: [<the reference, with the extra properties of the second part if any>, {type: "null"}]`.
 *
 * An optional property with a `default` (`confidence` of a request: the server's value when absent) is typed as
 * required by openapi-typescript when its schema is a component (it reads a default as "always present", which holds
 * for answers only): the default moves into the property's description, so generated clients may leave it out.
 */
type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function nullableReference(node: Node): Node | undefined {
  const parts = node.allOf;
  if (!Array.isArray(parts) || parts.length !== 2) return undefined;
  const [reference, extra] = parts;
  if (!isNode(reference) || typeof reference.$ref !== "string" || !isNode(extra)) return undefined;
  if (!Array.isArray(extra.type) || !extra.type.includes("null")) return undefined;
  const { type: _nullable, description, ...rest } = extra;
  const { allOf: _parts, ...outer } = node;
  const extends_ = Object.keys(rest).length > 0;
  const value = extends_ ? { allOf: [reference, { type: "object", ...rest }] } : reference;
  return {
    ...outer,
    anyOf: [value, { type: "null" }],
    ...(description !== undefined ? { description } : {}),
  };
}

function defaultsDescribed(node: Node): Node {
  if (!isNode(node.properties)) return node;
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  const properties = Object.fromEntries(
    Object.entries(node.properties).map(([name, property]) => {
      if (required.has(name) || !isNode(property) || property.default === undefined) return [name, property];
      const { default: value, description, ...rest } = property;
      const said = `Default: ${JSON.stringify(value)}.`;
      const text = typeof description === "string" ? `${description.replace(/\.?$/, ".")} ${said}` : said;
      return [name, { ...rest, description: text }];
    }),
  );
  return { ...node, properties };
}

function repair(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(repair);
  if (!isNode(value)) return value;
  const node = defaultsDescribed(nullableReference(value) ?? value);
  return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, repair(child)]));
}

export function repairedDocument<T extends object>(document: T): T {
  return repair(document) as T;
}
