// The demo group's compliance programme: frameworks adopted, a Statement of Applicability in progress in every
// company, applied controls with evidence (some expired, some expiring soon) and certifications with audits.
import { systemActor } from '../platform/authz/permissions.ts';
import type { CompanyDto } from '../modules/org/index.ts';
import type { AppContext } from './context.ts';

/** Applied controls every demo company runs, with the ISO/IEC 27001 Annex A controls (and PCI DSS requirements) they meet. */
const CONTROLS: { code: string; name: string; iso: string[]; pci: string[] }[] = [
  {
    code: 'GOV-01',
    name: 'Information security policy set, reviewed yearly',
    iso: ['A.5.1', 'A.5.4', '5.2'],
    pci: ['12.1.1', '12.1.2'],
  },
  {
    code: 'GOV-02',
    name: 'Security roles and CISO appointment',
    iso: ['A.5.2', 'A.5.3', '5.3'],
    pci: ['12.1.3', '12.1.4'],
  },
  {
    code: 'AST-01',
    name: 'Information asset inventory and classification',
    iso: ['A.5.9', 'A.5.12', 'A.5.13'],
    pci: ['12.5.1'],
  },
  {
    code: 'IAM-01',
    name: 'Quarterly access review',
    iso: ['A.5.15', 'A.5.18', 'A.8.2'],
    pci: ['7.2.4', '7.2.5.1'],
  },
  {
    code: 'IAM-02',
    name: 'Multi-factor authentication for all remote and admin access',
    iso: ['A.5.17', 'A.8.5'],
    pci: ['8.4.1', '8.4.2', '8.4.3'],
  },
  {
    code: 'SUP-01',
    name: 'Supplier security assessment',
    iso: ['A.5.19', 'A.5.20', 'A.5.21', 'A.5.22'],
    pci: ['12.8.1', '12.8.2'],
  },
  {
    code: 'INC-01',
    name: 'CSIRT incident response procedure and exercises',
    iso: ['A.5.24', 'A.5.25', 'A.5.26', 'A.5.27', 'A.6.8'],
    pci: ['12.10.1'],
  },
  {
    code: 'HR-01',
    name: 'Annual security training and pledge for all staff categories',
    iso: ['A.6.3', 'A.6.2', '7.2', '7.3'],
    pci: ['12.6.1', '12.6.2'],
  },
  {
    code: 'VUL-01',
    name: 'Vulnerability inspection and patching SLA',
    iso: ['A.8.8'],
    pci: ['6.3.1', '6.3.3', '11.3.1'],
  },
  {
    code: 'LOG-01',
    name: 'Central logging and monitoring',
    iso: ['A.8.15', 'A.8.16', 'A.8.17'],
    pci: ['10.2.1', '10.4.1'],
  },
  { code: 'BCP-01', name: 'Backups tested quarterly', iso: ['A.8.13', 'A.5.30'], pci: [] },
  {
    code: 'DEV-01',
    name: 'Security review in the development process',
    iso: ['A.8.25', 'A.8.26', 'A.8.28', 'A.8.29'],
    pci: ['6.2.1', '6.2.4'],
  },
  { code: 'AUD-01', name: 'Internal audit programme', iso: ['9.2.1', '9.2.2', 'A.5.35'], pci: [] },
  {
    code: 'MR-01',
    name: 'Management review at the security & privacy committee',
    iso: ['9.3.1', '9.3.2', '9.3.3'],
    pci: [],
  },
];

/** A few cross-framework mappings of the kind a team writes, to show one requirement answering several. */
const MAPPINGS = `source_framework,source_ref,target_framework,target_ref,relation,note
iso27001-2022,A.5.1,pci-dss-4.0,12.1.1,intersects,Information security policy
iso27001-2022,A.5.1,nist-csf-2.0,GV.PO-01,equivalent,Policy established and communicated
iso27001-2022,A.5.15,pci-dss-4.0,7.2.1,intersects,Access control model
iso27001-2022,A.5.18,pci-dss-4.0,7.2.4,intersects,Review of access rights
iso27001-2022,A.8.5,pci-dss-4.0,8.4.2,intersects,MFA into the cardholder data environment
iso27001-2022,A.8.5,nist-csf-2.0,PR.AA-03,intersects,Authentication
iso27001-2022,A.5.24,pci-dss-4.0,12.10.1,intersects,Incident response plan
iso27001-2022,A.5.24,nist-csf-2.0,RS.MA-01,intersects,Incident response plan executed
iso27001-2022,A.6.3,pci-dss-4.0,12.6.1,intersects,Security awareness programme
iso27001-2022,A.8.8,pci-dss-4.0,6.3.1,intersects,Vulnerabilities identified and managed
iso27001-2022,A.8.8,nist-csf-2.0,ID.RA-01,intersects,Vulnerabilities identified
iso27001-2022,A.8.15,pci-dss-4.0,10.2.1,intersects,Audit logs
iso27001-2022,A.8.13,nist-csf-2.0,PR.DS-11,equivalent,Backups
iso27001-2022,A.5.19,pci-dss-4.0,12.8.1,intersects,Third-party service providers
`;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function loadComplianceDemo(ctx: AppContext, companies: CompanyDto[]): Promise<string> {
  const actor = systemActor('demo');
  const { compliance, frameworks } = ctx.services;
  const all = await frameworks.list(actor);
  const iso = all.find((f) => f.ref === 'iso27001-2022');
  const pci = all.find((f) => f.ref === 'pci-dss-4.0');
  if (!iso || !pci) return 'no catalogs';
  const mappings = await frameworks.importMappings(actor, MAPPINGS, true);
  let controls = 0;
  for (const [i, company] of companies.entries()) {
    const withPci = ['KCARD', 'KPAY'].includes(company.shortCode);
    await compliance.adopt(actor, company.id, {
      frameworkId: iso.id,
      scopeStatement: `All services and offices of ${company.legalName}`,
    });
    if (withPci)
      await compliance.adopt(actor, company.id, {
        frameworkId: pci.id,
        scopeStatement: 'Cardholder data environment',
      });
    const isoSoa = await compliance.soa(actor, company.id, iso.id);
    const pciSoa = withPci ? await compliance.soa(actor, company.id, pci.id) : null;
    const byRef = new Map(
      [...isoSoa.items, ...(pciSoa?.items ?? [])].map((e) => [`${e.frameworkId}:${e.requirementRef}`, e]),
    );
    // Maturity differs across the group: the older companies have implemented more.
    const maturity = 0.85 - (i % 7) * 0.1;
    for (const [k, c] of CONTROLS.entries()) {
      if (k / CONTROLS.length > maturity + 0.15) continue;
      const refs = [
        ...c.iso.map((r) => `${iso.id}:${r}`),
        ...(withPci ? c.pci.map((r) => `${pci.id}:${r}`) : []),
      ].filter((r) => byRef.has(r));
      const control = await compliance.createControl(actor, {
        companyId: company.id,
        code: c.code,
        name: c.name,
        description: null,
        ownerPersonId: null,
        status: 'active',
        requirementIds: refs.map((r) => byRef.get(r)!.requirementId),
      });
      controls += 1;
      // Evidence: mostly current, one expired in some companies, some expiring within the month.
      const validUntil = (k + i) % 9 === 0 ? day(-5) : (k + i) % 5 === 0 ? day(12) : day(200 + k * 10);
      await compliance.addEvidence(actor, control.id, {
        kind: 'note',
        title: `${c.code} operating record`,
        note: `Reviewed by the company CISO; record kept in the ISMS folder.`,
        validFrom: day(-160),
        validUntil,
      });
      for (const r of refs) {
        const entry = byRef.get(r)!;
        const done = (k + i + r.length) % 4 !== 0;
        await compliance.updateSoaEntry(actor, entry.id, {
          version: entry.version,
          status: done ? 'implemented' : 'partial',
          targetDate: done ? null : day(90),
        });
      }
    }
    // Physical controls do not apply where the company works from the group's shared offices.
    if (i % 3 === 2) {
      const soa = await compliance.soa(actor, company.id, iso.id, { section: 'A.7' });
      for (const e of soa.items.slice(0, 3)) {
        await compliance.updateSoaEntry(actor, e.id, {
          version: e.version,
          applicable: false,
          justification:
            'Offices are provided and secured by the holding company under the group facilities agreement',
        });
      }
    }
    const cert = await compliance.createCertification(actor, {
      companyId: company.id,
      standard: 'ISO/IEC 27001',
      scope: `Information security management system of ${company.legalName}`,
      certificationBody: i % 2 === 0 ? 'Japan Quality Assurance Organization' : 'BSI Group',
      certificateNumber: `IS ${700000 + i * 137}`,
      firstCertifiedOn: `${2015 + (i % 8)}-11-01`,
      expiresOn: day(120 + i * 40),
      status: 'active',
    });
    await compliance.addCertificationAudit(actor, cert.id, {
      kind: 'surveillance',
      plannedOn: day(-300),
      heldOn: day(-298),
      outcome: 'passed',
      notes: null,
    });
    await compliance.addCertificationAudit(actor, cert.id, {
      kind: i === 3 ? 'surveillance' : 'recertification',
      plannedOn: day(i === 3 ? -14 : 60 + i * 30),
      heldOn: null,
      outcome: 'planned',
      notes: null,
    });
    if (withPci) {
      await compliance.createCertification(actor, {
        companyId: company.id,
        standard: 'PCI DSS',
        scope: 'Cardholder data environment',
        certificationBody: 'QSA Japan',
        certificateNumber: null,
        firstCertifiedOn: '2018-03-31',
        expiresOn: day(45),
        status: 'active',
      });
    }
  }
  return `${companies.length} Statements of Applicability, ${controls} applied controls, certifications, ${mappings.created} requirement mappings`;
}
