// The other SPF engines of the benchmark, run against its DNS server: libspf2's spfquery and pyspf (python3-spf),
// both Debian packages installed on demand. Neither can be given a DNS server port in the usual way:
// - spfquery resolves through the C library's stub resolver (res_query), which reads only /etc/resolv.conf and
//   always uses port 53. It runs in a private mount namespace (unshare -m) in which a temporary resolv.conf naming
//   127.0.0.1 is bind-mounted over /etc/resolv.conf; the benchmark's server listens on 127.0.0.1:53. The mount is
//   checked inside the namespace before spfquery starts, so it can never ask the machine's real resolver.
// - pyspf resolves through pydns (python3-dns), whose module-level defaults name the server and port; a small driver
//   sets them before the first lookup.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PYTHON = '/usr/bin/python3';
/** The exit status of the shell when the temporary resolv.conf could not be put in place. */
const NO_NAMESPACE = 99;

/** An engine's results, one per input pair, and how long the evaluations took. */
export interface ExternalRun {
  results: string[];
  seconds: number;
}

const has = (cmd: string, args: string[]): boolean => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * Makes sure a Debian package's tool is there, installing the package with apt-get when it is not (as root only).
 * Returns why it is not usable, or null.
 */
export function ensureTool(what: string, present: () => boolean, aptPackage: string): string | null {
  if (present()) return null;
  if (process.getuid?.() !== 0) return `${what} is missing, and installing ${aptPackage} needs root`;
  console.log(`${what} is missing: apt-get install ${aptPackage} …`);
  for (const args of [
    ['install', '-y', '-q', aptPackage],
    ['update', '-q'],
    ['install', '-y', '-q', aptPackage],
  ]) {
    try {
      execFileSync('apt-get', args, {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      // an install that fails before `apt-get update` is tried again after it
    }
    if (args[0] === 'install' && present()) return null;
  }
  return `${what} could not be installed (apt-get install ${aptPackage} failed)`;
}

export const spfqueryPresent = () => has('sh', ['-c', 'command -v spfquery']);
export const pyspfPresent = () => has(PYTHON, ['-c', 'import spf, DNS']);

/** Whether a private mount namespace can be made here (root, and a kernel and sandbox that allow it). */
export function canUnshareMounts(): boolean {
  return has('unshare', ['-m', '--propagation', 'private', 'true']);
}

/** Writes the pairs as spfquery's -file input: "ip sender helo" a line. */
export function writePairs(
  file: string,
  pairs: readonly { ip: string; sender: string; helo: string }[],
): void {
  fs.writeFileSync(file, pairs.map((p) => `${p.ip} ${p.sender} ${p.helo}\n`).join(''));
}

/** A shell command run with /etc/resolv.conf replaced by one naming 127.0.0.1 (port 53), in its own namespace. */
function withLocalResolver(dir: string, command: string): string[] {
  const conf = path.join(dir, 'resolv.conf');
  fs.writeFileSync(conf, 'nameserver 127.0.0.1\n');
  return [
    '-m',
    '--propagation',
    'private',
    'sh',
    '-c',
    `mount --bind '${conf}' /etc/resolv.conf && [ "$(cat /etc/resolv.conf)" = 'nameserver 127.0.0.1' ] || exit ${NO_NAMESPACE}; ${command}`,
  ];
}

async function run(args: string[], stdoutFile: string): Promise<number> {
  const out = fs.openSync(stdoutFile, 'w');
  const started = performance.now();
  try {
    const child = spawn('unshare', args, { stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    // spfquery's exit status is its last result; only the set-up's failure is an error.
    if (code === NO_NAMESPACE || code === null)
      throw new Error(`could not run ${args.at(-1)} with a local resolver: ${stderr.trim()}`);
    return (performance.now() - started) / 1000;
  } finally {
    fs.closeSync(out);
  }
}

/**
 * spfquery's results in input order. It prints four lines a query (the result, the SMTP explanation, the header
 * comment, the Received-SPF header; all but the first blank when the record does not compile, the result then being
 * "(invalid)"), and StartError … EndError blocks for errors in between.
 */
function spfqueryResults(file: string, expected: number): string[] {
  const lines: string[] = [];
  let inError = false;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line === 'StartError') inError = true;
    else if (line === 'EndError') inError = false;
    else if (!inError) lines.push(line);
  }
  if (lines.at(-1) === '') lines.pop();
  const results = lines.filter((_, i) => i % 4 === 0);
  if (
    lines.length !== 4 * expected ||
    lines.some((l, i) => i % 4 === 3 && l !== '' && !l.startsWith('Received-SPF: '))
  )
    throw new Error(
      `spfquery's output is not the four lines a query expected for ${expected} queries (see ${file})`,
    );
  return results;
}

/** One spfquery process for the whole file: libspf2 keeps its DNS cache across the file's queries. */
export async function spfqueryFile(dir: string, pairsFile: string, count: number): Promise<ExternalRun> {
  const out = path.join(dir, 'spfquery-file.out');
  const seconds = await run(withLocalResolver(dir, `exec spfquery -file '${pairsFile}'`), out);
  return { results: spfqueryResults(out, count), seconds };
}

/** One spfquery process for each pair (it has no option to turn its cache off): nothing is cached between them. */
export async function spfqueryEach(dir: string, pairsFile: string, count: number): Promise<ExternalRun> {
  const out = path.join(dir, 'spfquery-each.out');
  const loop = `while read ip sender helo; do spfquery -ip "$ip" -sender "$sender" -helo "$helo"; done < '${pairsFile}'`;
  const seconds = await run(withLocalResolver(dir, loop), out);
  return { results: spfqueryResults(out, count), seconds };
}

const PYSPF_DRIVER = `
import sys, time
import DNS, spf
# pydns reads /etc/resolv.conf when spf is imported; every lookup goes to the benchmark's server instead.
DNS.Base.defaults['server'] = [sys.argv[1]]
DNS.Base.defaults['port'] = int(sys.argv[2])
assert spf.DNSLookup is spf.DNSLookup_pydns
pairs = [line.split() for line in open(sys.argv[3])]
results = []
started = time.perf_counter()
for ip, sender, helo in pairs:
    # check2 builds a new query object, and so a new DNS cache, for every evaluation.
    results.append(spf.check2(i=ip, s=sender, h=helo)[0])
elapsed = time.perf_counter() - started
print('\\n'.join(results))
print('ELAPSED', elapsed)
`;

/** pyspf's check2() for each pair, sequentially, timed inside the interpreter (start-up and import excluded). */
export async function pyspf(
  dir: string,
  pairsFile: string,
  count: number,
  server: { host: string; port: number },
): Promise<ExternalRun> {
  const driver = path.join(dir, 'pyspf-driver.py');
  fs.writeFileSync(driver, PYSPF_DRIVER);
  const out = path.join(dir, 'pyspf.out');
  const fd = fs.openSync(out, 'w');
  try {
    const child = spawn(PYTHON, [driver, server.host, String(server.port), pairsFile], {
      stdio: ['ignore', fd, 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`pyspf exited with ${code}: ${stderr.trim()}`);
  } finally {
    fs.closeSync(fd);
  }
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
  const elapsed = /^ELAPSED (\S+)$/.exec(lines.pop() ?? '');
  if (!elapsed || lines.length !== count)
    throw new Error(`pyspf printed ${lines.length} results for ${count}`);
  return { results: lines, seconds: Number(elapsed[1]) };
}
