// A provider's login restriction as an expression over the identity's claims, the safe subset of
// Packeton's login expressions (Symfony expression syntax): parsed into a tree here and walked
// by evaluate(), never compiled or eval'ed, so an expression can only read claims and compare.
//
//   "acme-devs" in groups and email ends with "@acme.com"
//   data['email'] ends with '@packeton.org'            (Packeton's form: `data` is all claims)
//   not (lower(email) ends with "@contractor.test") or email_verified == true
//
// Values: 'strings' or "strings", numbers, true, false, null, [lists], claims by name (`groups`,
// `data['x-claim']`, `address.country`). Operators: == != < > <= >= in, not in, starts with,
// ends with, contains, and (&&), or (||), not (!), parentheses; one function, lower(x).
// A missing claim is null; an operator given values it does not apply to is false, never an error.

export class LoginExpressionError extends Error {
  /** 1-based character position where the problem is. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at character ${position}`);
    this.position = position;
  }
}

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

type Node =
  | { kind: "literal"; value: Value }
  | { kind: "claim"; name: string }
  | { kind: "list"; items: Node[] }
  | { kind: "member"; target: Node; key: Node }
  | { kind: "call"; name: "lower"; argument: Node }
  | { kind: "not"; operand: Node }
  | { kind: "logical"; operator: "and" | "or"; left: Node; right: Node }
  | { kind: "compare"; operator: Comparison; left: Node; right: Node };

type Comparison = "==" | "!=" | "<" | ">" | "<=" | ">=" | "in" | "not in" | "starts with" | "ends with" | "contains";

interface Token {
  type: "string" | "number" | "word" | "symbol" | "end";
  text: string;
  at: number;
}

const MAX_LENGTH = 2000;
const MAX_DEPTH = 40;
const SYMBOLS = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]", ",", "."];
const WORD_OPERATORS: Record<string, Comparison> = { in: "in", contains: "contains" };

/** Parses the expression; throws LoginExpressionError (with the position) when it is not one. */
export function parseLoginExpression(source: string): Node {
  if (source.length > MAX_LENGTH) throw new LoginExpressionError(`The expression is longer than ${MAX_LENGTH} characters`, MAX_LENGTH + 1);
  const parser = new Parser(tokenize(source));
  const tree = parser.expression(0);
  parser.expectEnd();
  return tree;
}

/** Whether the claims pass the (parsed) expression. */
export function loginAllowed(tree: Node, claims: Record<string, unknown>): boolean {
  return truthy(evaluate(tree, claims as { [key: string]: Value }));
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (char === "'" || char === '"') {
      let text = "";
      let j = i + 1;
      for (; j < source.length && source[j] !== char; j++) {
        if (source[j] === "\\" && j + 1 < source.length) j++;
        text += source[j];
      }
      if (j >= source.length) throw new LoginExpressionError("Unterminated string", i + 1);
      tokens.push({ type: "string", text, at: i + 1 });
      i = j + 1;
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ type: "number", text: number[0], at: i + 1 });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (word) {
      tokens.push({ type: "word", text: word[0], at: i + 1 });
      i += word[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => source.startsWith(candidate, i));
    if (!symbol) throw new LoginExpressionError(`Unexpected character ${JSON.stringify(char)}`, i + 1);
    tokens.push({ type: "symbol", text: symbol, at: i + 1 });
    i += symbol.length;
  }
  tokens.push({ type: "end", text: "", at: source.length + 1 });
  return tokens;
}

class Parser {
  readonly #tokens: Token[];
  #at = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  expression(depth: number): Node {
    if (depth > MAX_DEPTH) throw new LoginExpressionError("The expression nests too deeply", this.#peek().at);
    let left = this.#and(depth);
    while (this.#accept("or") || this.#accept("||")) left = { kind: "logical", operator: "or", left, right: this.#and(depth) };
    return left;
  }

  expectEnd(): void {
    const token = this.#peek();
    if (token.type !== "end") throw new LoginExpressionError(`Unexpected ${describe(token)}`, token.at);
  }

  #and(depth: number): Node {
    let left = this.#not(depth);
    while (this.#accept("and") || this.#accept("&&")) left = { kind: "logical", operator: "and", left, right: this.#not(depth) };
    return left;
  }

  #not(depth: number): Node {
    if (this.#accept("not") || this.#accept("!")) return { kind: "not", operand: this.#not(depth + 1) };
    return this.#compare(depth);
  }

  #compare(depth: number): Node {
    const left = this.#value(depth);
    const operator = this.#comparison();
    return operator ? { kind: "compare", operator, left, right: this.#value(depth) } : left;
  }

  #comparison(): Comparison | null {
    const token = this.#peek();
    if (token.type === "symbol" && ["==", "!=", "<", ">", "<=", ">="].includes(token.text)) {
      this.#at++;
      return token.text as Comparison;
    }
    if (token.type !== "word") return null;
    const next = this.#tokens[this.#at + 1];
    if (token.text === "not" && next?.type === "word" && next.text === "in") {
      this.#at += 2;
      return "not in";
    }
    if (token.text === "starts" || token.text === "ends") {
      if (next?.type !== "word" || next.text !== "with") throw new LoginExpressionError(`Expected "with" after "${token.text}"`, next?.at ?? token.at);
      this.#at += 2;
      return `${token.text} with` as Comparison;
    }
    const operator = WORD_OPERATORS[token.text];
    if (operator) this.#at++;
    return operator ?? null;
  }

  #value(depth: number): Node {
    let node = this.#primary(depth);
    for (;;) {
      if (this.#accept(".")) {
        const name = this.#next();
        if (name.type !== "word") throw new LoginExpressionError(`Expected a claim name after "." but found ${describe(name)}`, name.at);
        node = { kind: "member", target: node, key: { kind: "literal", value: name.text } };
      } else if (this.#accept("[")) {
        const key = this.expression(depth + 1);
        this.#expect("]");
        node = { kind: "member", target: node, key };
      } else {
        return node;
      }
    }
  }

  #primary(depth: number): Node {
    const token = this.#next();
    if (token.type === "string") return { kind: "literal", value: token.text };
    if (token.type === "number") return { kind: "literal", value: Number(token.text) };
    if (token.type === "symbol" && token.text === "(") {
      const inner = this.expression(depth + 1);
      this.#expect(")");
      return inner;
    }
    if (token.type === "symbol" && token.text === "[") {
      const items: Node[] = [];
      if (!this.#accept("]")) {
        do items.push(this.expression(depth + 1));
        while (this.#accept(","));
        this.#expect("]");
      }
      return { kind: "list", items };
    }
    if (token.type === "word") {
      if (token.text === "true" || token.text === "false") return { kind: "literal", value: token.text === "true" };
      if (token.text === "null") return { kind: "literal", value: null };
      if (["and", "or", "not", "in", "contains"].includes(token.text)) throw new LoginExpressionError(`Expected a value but found "${token.text}"`, token.at);
      if (this.#accept("(")) {
        if (token.text !== "lower") throw new LoginExpressionError(`Unknown function "${token.text}" (only lower() is there)`, token.at);
        const argument = this.expression(depth + 1);
        this.#expect(")");
        return { kind: "call", name: "lower", argument };
      }
      return { kind: "claim", name: token.text };
    }
    throw new LoginExpressionError(`Expected a value but found ${describe(token)}`, token.at);
  }

  #peek(): Token {
    return this.#tokens[this.#at] as Token;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.type !== "end") this.#at++;
    return token;
  }

  #accept(text: string): boolean {
    const token = this.#peek();
    if ((token.type === "symbol" || token.type === "word") && token.text === text) {
      this.#at++;
      return true;
    }
    return false;
  }

  #expect(text: string): void {
    const token = this.#peek();
    if (!this.#accept(text)) throw new LoginExpressionError(`Expected "${text}" but found ${describe(token)}`, token.at);
  }
}

function describe(token: Token): string {
  return token.type === "end" ? "the end of the expression" : `"${token.text}"`;
}

function evaluate(node: Node, claims: { [key: string]: Value }): Value {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "claim":
      // `data` is every claim, as in Packeton's expressions (data['email']).
      return node.name === "data" ? claims : own(claims, node.name);
    case "list":
      return node.items.map((item) => evaluate(item, claims));
    case "member": {
      const target = evaluate(node.target, claims);
      const key = evaluate(node.key, claims);
      if (Array.isArray(target)) return typeof key === "number" && Number.isInteger(key) ? (target[key] ?? null) : null;
      return target !== null && typeof target === "object" && typeof key === "string" ? own(target, key) : null;
    }
    case "call": {
      const value = evaluate(node.argument, claims);
      return typeof value === "string" ? value.toLowerCase() : value;
    }
    case "not":
      return !truthy(evaluate(node.operand, claims));
    case "logical": {
      const left = truthy(evaluate(node.left, claims));
      if (node.operator === "and") return left && truthy(evaluate(node.right, claims));
      return left || truthy(evaluate(node.right, claims));
    }
    case "compare":
      return compare(node.operator, evaluate(node.left, claims), evaluate(node.right, claims));
  }
}

// Own properties only: a claim named "constructor" or "__proto__" is just a missing claim.
function own(object: { [key: string]: Value }, key: string): Value {
  return Object.hasOwn(object, key) ? (object[key] ?? null) : null;
}

function compare(operator: Comparison, left: Value, right: Value): boolean {
  const scalar = (value: Value) => value === null || typeof value !== "object";
  switch (operator) {
    case "==":
      return scalar(left) && scalar(right) && left === right;
    case "!=":
      return !(scalar(left) && scalar(right) && left === right);
    case "<":
    case ">":
    case "<=":
    case ">=":
      if (typeof left !== "number" || typeof right !== "number") return false;
      return operator === "<" ? left < right : operator === ">" ? left > right : operator === "<=" ? left <= right : left >= right;
    case "in":
    case "not in": {
      const found = Array.isArray(right) ? scalar(left) && right.includes(left) : typeof right === "string" && typeof left === "string" && right.includes(left);
      return operator === "in" ? found : !found;
    }
    case "starts with":
      return typeof left === "string" && typeof right === "string" && left.startsWith(right);
    case "ends with":
      return typeof left === "string" && typeof right === "string" && left.endsWith(right);
    case "contains":
      return Array.isArray(left) ? scalar(right) && left.includes(right) : typeof left === "string" && typeof right === "string" && left.includes(right);
  }
}

function truthy(value: Value): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && value !== false && value !== "" && value !== 0;
}
