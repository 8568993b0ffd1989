// Payload templates: a logic-less, Mustache-like language that reads only the event's data.
//   {{path.to.value}}   the value, escaped for the hook's content type (inside a JSON string
//                       for JSON payloads, URL-encoded for forms, as is for text)
//   {{{path}}}          the value as is           {{json path}}   the value as JSON
//   {{#path}}…{{/path}} each item of a list (with {{.}}, {{@index}}, {{@first}}, {{@last}}),
//                       or once when the value is truthy; {{^path}}…{{/path}} when it is not
//   {{! comment }}
// There are no partials, helpers or loops of its own, so rendering always ends; it is bounded
// anyway (output size and steps). Lookups see own properties of plain data only.

export class TemplateError extends Error {}

type Mode = "escape" | "raw" | "json";
type Node =
  | { type: "text"; text: string }
  | { type: "value"; path: string[]; mode: Mode }
  | { type: "section"; path: string[]; inverted: boolean; children: Node[] };

export interface RenderLimits {
  /** Largest output in characters. */
  maxOutput: number;
  /** Most nodes visited (bounds the work of nested lists). */
  maxSteps: number;
}

export const MAX_TEMPLATE_LENGTH = 16 * 1024;
export const DEFAULT_LIMITS: RenderLimits = { maxOutput: 256 * 1024, maxSteps: 100_000 };
const MAX_DEPTH = 8;
const PATH = /^(?:\.|@?[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)$/;
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);
const TAG = /\{\{\{\s*([^}]*?)\s*\}\}\}|\{\{\s*([^}]*?)\s*\}\}/g;

export function parseTemplate(source: string): Node[] {
  if (source.length > MAX_TEMPLATE_LENGTH) throw new TemplateError(`The template is longer than ${MAX_TEMPLATE_LENGTH} characters.`);
  const root: Node[] = [];
  const stack: { path: string; children: Node[] }[] = [{ path: "", children: root }];
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    const current = stack[stack.length - 1].children;
    if (match.index > last) current.push({ type: "text", text: source.slice(last, match.index) });
    last = match.index + match[0].length;
    if (match[1] !== undefined) {
      current.push({ type: "value", path: checkedPath(match[1]), mode: "raw" });
      continue;
    }
    const tag = match[2];
    const sigil = tag[0];
    const rest = tag.slice(1).trim();
    if (sigil === "!") continue;
    if (sigil === "#" || sigil === "^") {
      if (stack.length > MAX_DEPTH) throw new TemplateError(`Sections nest deeper than ${MAX_DEPTH} levels.`);
      const section: Node = { type: "section", path: checkedPath(rest), inverted: sigil === "^", children: [] };
      current.push(section);
      stack.push({ path: rest, children: section.children });
    } else if (sigil === "/") {
      const open = stack.pop();
      if (stack.length === 0 || open?.path !== rest) throw new TemplateError(`{{/${rest}}} closes ${open?.path ? `{{#${open.path}}}` : "nothing"}.`);
    } else if (sigil === "&") {
      current.push({ type: "value", path: checkedPath(rest), mode: "raw" });
    } else if (tag.startsWith("json ")) {
      current.push({ type: "value", path: checkedPath(tag.slice(5).trim()), mode: "json" });
    } else {
      current.push({ type: "value", path: checkedPath(tag), mode: "escape" });
    }
  }
  if (stack.length > 1) throw new TemplateError(`{{#${stack[stack.length - 1].path}}} is never closed.`);
  if (last < source.length) root.push({ type: "text", text: source.slice(last) });
  return root;
}

export type Escape = "json" | "url" | "none";

export function renderTemplate(nodes: Node[], data: unknown, escape: Escape, limits: RenderLimits = DEFAULT_LIMITS): string {
  const state = { out: [] as string[], size: 0, steps: 0 };
  const emit = (text: string) => {
    state.size += text.length;
    if (state.size > limits.maxOutput) throw new TemplateError(`The rendered payload is larger than ${limits.maxOutput} characters.`);
    state.out.push(text);
  };
  const walk = (list: Node[], scopes: Scope[]) => {
    for (const node of list) {
      if (++state.steps > limits.maxSteps) throw new TemplateError(`The template takes more than ${limits.maxSteps} steps to render.`);
      if (node.type === "text") emit(node.text);
      else if (node.type === "value") emit(format(lookup(scopes, node.path), node.mode, escape));
      else {
        const value = lookup(scopes, node.path);
        const items = Array.isArray(value) ? value : truthy(value) ? [value] : [];
        if (node.inverted) {
          if (items.length === 0) walk(node.children, scopes);
        } else if (Array.isArray(value)) {
          value.forEach((item, index) => walk(node.children, [...scopes, { value: item, loop: { index, count: value.length } }]));
        } else if (items.length) {
          walk(node.children, [...scopes, { value }]);
        }
      }
    }
  };
  walk(nodes, [{ value: data }]);
  return state.out.join("");
}

interface Scope {
  value: unknown;
  loop?: { index: number; count: number };
}

function checkedPath(raw: string): string[] {
  if (!PATH.test(raw)) throw new TemplateError(`"{{${raw.slice(0, 40)}}}" is not a valid tag: use names like package.name.`);
  const path = raw === "." ? ["."] : raw.split(".");
  if (path.some((part) => FORBIDDEN.has(part))) throw new TemplateError(`"${raw.slice(0, 40)}" is not allowed in a template.`);
  return path;
}

function lookup(scopes: Scope[], path: string[]): unknown {
  const [head, ...rest] = path;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (head === ".") return scope.value;
    if (head.startsWith("@")) {
      if (!scope.loop) continue;
      const loop = { "@index": scope.loop.index, "@first": scope.loop.index === 0, "@last": scope.loop.index === scope.loop.count - 1 }[head];
      return loop;
    }
    const found = property(scope.value, head);
    if (found !== undefined) return rest.reduce<unknown>((value, key) => property(value, key), found);
  }
  return undefined;
}

function property(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return key === "length" ? value.length : /^\d+$/.test(key) ? value[Number(key)] : undefined;
  if (!value || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== "" && value !== 0;
}

function format(value: unknown, mode: Mode, escape: Escape): string {
  if (mode === "json") return JSON.stringify(value ?? null);
  if (value === undefined || value === null) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (mode === "raw" || escape === "none") return text;
  // Inside a JSON string: JSON's own escaping, without the quotes.
  return escape === "json" ? JSON.stringify(text).slice(1, -1) : encodeURIComponent(text);
}
