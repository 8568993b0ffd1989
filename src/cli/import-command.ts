// `satchel import list|satis <file> --into <satchel-url>` and `satchel import packeton --from
// <packeton-url> --into <satchel-url>`: progress lines, then a final report. Idempotent and
// resumable: what Satchel already has counts as there, so a stopped run is simply run again.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ImportSourceError, parseList, parseSatis, type ImportPlan } from "./import-sources.ts";
import { importPacketon } from "./packeton-import.ts";
import { addRepositories, ImportStopped, report, satchelClient } from "./satchel-client.ts";

type Env = Record<string, string | undefined>;

const SOURCES: Record<string, (text: string) => ImportPlan> = { list: parseList, satis: parseSatis };
const USAGE = "usage: satchel import list|satis <file> --into <satchel-url>, or satchel import packeton --from <packeton-url> --into <satchel-url>";

export async function importCommand(argv: string[], env: Env, out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    allowPositionals: true,
    tokens: true,
    options: { into: { type: "string" }, token: { type: "string", multiple: true }, from: { type: "string" }, wait: { type: "string" } },
  });
  const { satchelToken, packetonToken } = tokensByPlace(tokens);
  const [source, file] = positionals;
  const packeton = source === "packeton" && positionals.length === 1;
  const parse = source ? SOURCES[source] : undefined;
  if (!packeton && (!parse || !file || positionals.length !== 2)) throw new Error(USAGE);
  const url = (values.into ?? env.SATCHEL_URL ?? "").replace(/\/+$/, "");
  const token = satchelToken ?? env.SATCHEL_TOKEN ?? "";
  if (!/^https?:\/\//.test(url) || !token) throw new Error("give --into <satchel-url> (or SATCHEL_URL) and an admin token in SATCHEL_TOKEN");
  const deadline = Date.now() + Number(values.wait ?? 600) * 1000;
  const client = satchelClient(url, token);

  try {
    if (packeton) {
      const from = (values.from ?? env.PACKETON_URL ?? "").replace(/\/+$/, "");
      const credentials = packetonToken ?? env.PACKETON_TOKEN ?? "";
      if (!/^https?:\/\//.test(from) || !/^[^:]+:.+$/.test(credentials)) {
        throw new Error("give --from <packeton-url> (or PACKETON_URL) and the Packeton admin's <username>:<api token> in PACKETON_TOKEN");
      }
      return await importPacketon({ url: from, credentials }, client, deadline, out);
    }
    let plan: ImportPlan;
    try {
      plan = parse!(await readFile(file!, "utf8"));
    } catch (error) {
      if (error instanceof ImportSourceError) {
        out(`satchel import: nothing imported: ${error.message}`);
        return 2;
      }
      throw error;
    }
    for (const note of plan.notes) out(`note: ${note}`);
    return report(await addRepositories(client, plan.repositories, deadline, out), out);
  } catch (error) {
    if (!(error instanceof ImportStopped)) throw error;
    out(`satchel import: ${error.message}. Run the same command again to resume.`);
    return 1;
  }
}

type ArgToken = { kind: string; name?: string; value?: string };

/** `--from <url> --token <t> --into <url> --token <t>`: a --token belongs to the --from or --into before it. */
function tokensByPlace(tokens: ArgToken[]): { satchelToken?: string; packetonToken?: string } {
  const found: { satchelToken?: string; packetonToken?: string } = {};
  let place: "from" | "into" = "into";
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (token.name === "from" || token.name === "into") place = token.name;
    else if (token.name === "token" && token.value !== undefined) found[place === "from" ? "packetonToken" : "satchelToken"] = token.value;
  }
  return found;
}
