// The starting threat and vulnerability catalogue of the group, written for Mamori. Fixed ids so that every
// installation seeds the same entries; the group edits them afterwards through the API.

type SeedItem = { id: string; code: string; name: string; description: string };

const id = (kind: 't' | 'v', n: number) =>
  `00000000-0000-4000-8${kind === 't' ? '001' : '002'}-${String(n).padStart(12, '0')}`;

const items = (kind: 't' | 'v', prefix: string, list: [string, string][]): SeedItem[] =>
  list.map(([name, description], i) => ({
    id: id(kind, i + 1),
    code: `${prefix}-${String(i + 1).padStart(2, '0')}`,
    name,
    description,
  }));

export const THREAT_SEED: SeedItem[] = items('t', 'T', [
  ['Phishing and social engineering', 'Staff are tricked into giving away credentials, money or data.'],
  ['Ransomware', 'Malware encrypts or steals data and a ransom is demanded.'],
  ['Other malicious software', 'Viruses, spyware or trojans run on company devices.'],
  ['Credential theft or stuffing', 'Stolen or guessed passwords are used to sign in as someone else.'],
  ['Insider misuse', 'A staff member or contractor abuses legitimate access.'],
  ['Human error', 'Data is sent to the wrong recipient, deleted or misconfigured by mistake.'],
  ['Loss or theft of devices', 'Laptops, phones or storage media are lost or stolen.'],
  ['Denial of service', 'A service is flooded so that customers cannot reach it.'],
  ['Exploitation of software flaws', 'An attacker uses a known or unknown weakness in software.'],
  ['Supplier compromise', 'A supplier or its product is breached and used to reach the company.'],
  ['Failure of a cloud or hosting service', 'A provider outage makes systems or data unavailable.'],
  ['Power or network outage', 'Utilities or connectivity fail at a site or data centre.'],
  ['Natural disaster', 'Earthquake, flood, typhoon or fire damages sites or equipment.'],
  ['Unauthorised physical access', 'Someone enters offices or server rooms without permission.'],
  ['Breach of legal or contractual duties', 'Processing violates privacy law, PCI DSS or a contract.'],
]);

export const VULNERABILITY_SEED: SeedItem[] = items('v', 'V', [
  ['Missing security patches', 'Systems run software versions with published weaknesses.'],
  ['Weak or reused passwords', 'Passwords are short, shared or used on several services.'],
  ['No multi-factor authentication', 'A single password is enough to sign in remotely.'],
  ['Excessive access rights', 'People keep more rights than their job needs, or after leaving.'],
  ['Insufficient security awareness', 'Staff do not recognise scams or know how to report them.'],
  ['No or untested backups', 'Data cannot be restored, or restoring has never been tried.'],
  ['Unencrypted data at rest or in transit', 'Data can be read when media or traffic is intercepted.'],
  ['Insufficient logging and monitoring', 'Attacks and misuse go unnoticed for a long time.'],
  ['Insecure configuration', 'Default settings, open ports or debug features are left enabled.'],
  ['Single point of failure', 'One component, site or person has no fallback.'],
  ['Weak supplier assurance', 'Suppliers are chosen and kept without checking their security.'],
  ['Unmanaged or shadow IT', 'Devices and services are in use that nobody inventories or maintains.'],
  ['Inadequate physical protection', 'Doors, racks or media are not locked or watched.'],
  ['Insecure software development', 'Code is written and shipped without review or security testing.'],
  ['Unclear responsibilities', 'Nobody is clearly in charge of an asset, process or decision.'],
]);
