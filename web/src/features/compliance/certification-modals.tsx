// Create or edit a certification, and add or edit one of its audits. Edits carry the version read.
import { useState } from 'react';
import {
  Alert,
  Autocomplete,
  Button,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/client.ts';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import {
  AUDIT_KINDS,
  AUDIT_OUTCOMES,
  CERTIFICATION_STATUSES,
  type AuditKind,
  type AuditOutcome,
  type CertificationAuditDto,
  type CertificationDto,
  type CertificationStatus,
} from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ProblemDetails, fieldErrors, notifySuccess } from '../../shared/ui/notify.tsx';
import {
  addCertificationAudit,
  complianceKeys,
  createCertification,
  updateCertification,
  updateCertificationAudit,
} from './compliance.api.ts';

const STANDARDS = [
  'ISO/IEC 27001:2022',
  'ISO/IEC 27017:2015',
  'ISO/IEC 27018:2019',
  'ISO/IEC 27701:2019',
  'ISO 22301:2019',
  'PCI DSS v4.0',
  'SOC 2 Type II',
  'ISMAP',
  'JIS Q 15001 (Privacy Mark)',
];

function ErrorAlert({ error, onReload }: { error: unknown; onReload: () => void }) {
  const t = useT();
  if (!error) return null;
  const stale = error instanceof ApiError && error.code === 'stale_version';
  return (
    <Alert color={stale ? 'orange' : 'red'} title={stale ? t('error.staleTitle') : undefined}>
      {stale ? t('error.staleVersion') : <ProblemDetails error={error} t={t} />}
      {stale && (
        <Group mt="sm">
          <Button size="xs" variant="white" color="orange" onClick={onReload}>
            {t('common.reload')}
          </Button>
        </Group>
      )}
    </Alert>
  );
}

interface CertForm {
  companyId: string | null;
  standard: string;
  scope: string;
  certificationBody: string;
  certificateNumber: string;
  firstCertifiedOn: string;
  expiresOn: string;
  status: CertificationStatus;
}

const certForm = (c: CertificationDto | null, companyId: string | null): CertForm => ({
  companyId: c?.companyId ?? companyId,
  standard: c?.standard ?? 'ISO/IEC 27001:2022',
  scope: c?.scope ?? '',
  certificationBody: c?.certificationBody ?? '',
  certificateNumber: c?.certificateNumber ?? '',
  firstCertifiedOn: c?.firstCertifiedOn ?? '',
  expiresOn: c?.expiresOn ?? '',
  status: c?.status ?? 'active',
});

export function CertificationModal({
  opened,
  certification,
  companyId,
  onClose,
}: {
  opened: boolean;
  certification: CertificationDto | null;
  companyId?: string | null;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={certification ? t('cert.edit') : t('cert.create')}
      size="lg"
    >
      {opened && (
        <CertificationForm
          key={certification?.id ?? 'new'}
          certification={certification}
          companyId={companyId ?? null}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function CertificationForm({
  certification,
  companyId,
  onClose,
}: {
  certification: CertificationDto | null;
  companyId: string | null;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const lookup = useCompanyLookup();
  const [form, setForm] = useState(() => certForm(certification, companyId));
  const set = <K extends keyof CertForm>(key: K, value: CertForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const save = useMutation({
    mutationFn: () => {
      const body = {
        standard: form.standard.trim(),
        scope: form.scope.trim(),
        certificationBody: form.certificationBody.trim(),
        certificateNumber: form.certificateNumber.trim() || null,
        firstCertifiedOn: form.firstCertifiedOn || null,
        expiresOn: form.expiresOn || null,
        status: form.status,
      };
      if (!certification) return createCertification({ companyId: form.companyId!, ...body });
      const original = certForm(certification, null);
      const changes: Record<string, unknown> = {};
      for (const key of Object.keys(body) as (keyof typeof body)[]) {
        const before = original[key] === '' ? null : original[key];
        if (body[key] !== before) changes[key] = body[key];
      }
      return updateCertification(certification.id, { version: certification.version, ...changes });
    },
    onSuccess: (c) => {
      notifySuccess((t) =>
        certification
          ? t('cert.updated', { standard: c.standard })
          : t('cert.created', { standard: c.standard }),
      );
      void queryClient.invalidateQueries({ queryKey: complianceKeys.all });
      onClose();
    },
  });
  const errors = fieldErrors(save.error, t);
  const ready =
    !!form.companyId && form.standard.trim() && form.scope.trim() && form.certificationBody.trim();
  return (
    <Stack>
      {!certification && (
        <Select
          label={t('control.company')}
          data={lookup.options}
          value={form.companyId}
          onChange={(v) => set('companyId', v)}
          searchable
          required
          error={errors.companyId}
          data-testid="cert-company"
        />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Autocomplete
          label={t('cert.standard')}
          data={STANDARDS}
          value={form.standard}
          onChange={(v) => set('standard', v)}
          required
          maxLength={100}
          error={errors.standard}
          data-testid="cert-standard"
        />
        <Select
          label={t('cert.status')}
          data={CERTIFICATION_STATUSES.map((s) => ({ value: s, label: t(`certStatus.${s}`) }))}
          value={form.status}
          onChange={(v) => v && set('status', v as CertificationStatus)}
          allowDeselect={false}
          data-testid="cert-status"
        />
      </SimpleGrid>
      <Textarea
        label={t('cert.scope')}
        value={form.scope}
        onChange={(e) => set('scope', e.currentTarget.value)}
        required
        autosize
        minRows={2}
        maxLength={4000}
        error={errors.scope}
        data-testid="cert-scope"
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('cert.body')}
          value={form.certificationBody}
          onChange={(e) => set('certificationBody', e.currentTarget.value)}
          required
          maxLength={200}
          error={errors.certificationBody}
          data-testid="cert-body"
        />
        <TextInput
          label={t('cert.number')}
          value={form.certificateNumber}
          onChange={(e) => set('certificateNumber', e.currentTarget.value)}
          maxLength={100}
          error={errors.certificateNumber}
          data-testid="cert-number"
        />
        <TextInput
          label={t('cert.firstCertified')}
          type="date"
          value={form.firstCertifiedOn}
          onChange={(e) => set('firstCertifiedOn', e.currentTarget.value)}
          error={errors.firstCertifiedOn}
        />
        <TextInput
          label={t('cert.expires')}
          type="date"
          value={form.expiresOn}
          onChange={(e) => set('expiresOn', e.currentTarget.value)}
          error={errors.expiresOn}
          data-testid="cert-expires"
        />
      </SimpleGrid>
      <ErrorAlert
        error={save.error}
        onReload={() => {
          void queryClient.invalidateQueries({ queryKey: complianceKeys.certifications });
          onClose();
        }}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!ready}
          data-testid="cert-save"
        >
          {certification ? t('common.save') : t('common.create')}
        </Button>
      </Group>
    </Stack>
  );
}

interface AuditForm {
  kind: AuditKind;
  plannedOn: string;
  heldOn: string;
  outcome: AuditOutcome;
  notes: string;
}

export function AuditModal({
  target,
  onClose,
}: {
  /** Adding to a certification, or editing one audit. */
  target: { certification: CertificationDto; audit: CertificationAuditDto | null } | null;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={
        target
          ? `${target.audit ? t('certAudit.edit') : t('certAudit.add')} — ${target.certification.standard}`
          : ''
      }
      size="lg"
    >
      {target && (
        <AuditFormBody
          key={target.audit?.id ?? 'new'}
          certification={target.certification}
          audit={target.audit}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function AuditFormBody({
  certification,
  audit,
  onClose,
}: {
  certification: CertificationDto;
  audit: CertificationAuditDto | null;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<AuditForm>(() => ({
    kind: audit?.kind ?? (certification.audits.length === 0 ? 'initial' : 'surveillance'),
    plannedOn: audit?.plannedOn ?? '',
    heldOn: audit?.heldOn ?? '',
    outcome: audit?.outcome ?? 'planned',
    notes: audit?.notes ?? '',
  }));
  const set = <K extends keyof AuditForm>(key: K, value: AuditForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const save = useMutation({
    mutationFn: () => {
      const body = {
        plannedOn: form.plannedOn,
        heldOn: form.heldOn || null,
        outcome: form.outcome,
        notes: form.notes.trim() || null,
      };
      if (!audit) return addCertificationAudit(certification.id, { kind: form.kind, ...body });
      return updateCertificationAudit(audit.id, {
        version: audit.version,
        ...(body.plannedOn !== audit.plannedOn ? { plannedOn: body.plannedOn } : {}),
        ...(body.heldOn !== audit.heldOn ? { heldOn: body.heldOn } : {}),
        ...(body.outcome !== audit.outcome ? { outcome: body.outcome } : {}),
        ...(body.notes !== audit.notes ? { notes: body.notes } : {}),
      });
    },
    onSuccess: (a) => {
      notifySuccess((t) =>
        audit ? t('certAudit.updated') : t('certAudit.added', { kind: t(`auditKind.${a.kind}`) }),
      );
      void queryClient.invalidateQueries({ queryKey: complianceKeys.all });
      onClose();
    },
  });
  const errors = fieldErrors(save.error, t);
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('certAudit.kind')}
          data={AUDIT_KINDS.map((k) => ({ value: k, label: t(`auditKind.${k}`) }))}
          value={form.kind}
          onChange={(v) => v && set('kind', v as AuditKind)}
          allowDeselect={false}
          disabled={audit !== null}
          description={audit ? t('certAudit.kindFixed') : undefined}
          data-testid="audit-kind"
        />
        <Select
          label={t('certAudit.outcome')}
          description={audit ? '\u00a0' : undefined}
          data={AUDIT_OUTCOMES.map((o) => ({ value: o, label: t(`auditOutcome.${o}`) }))}
          value={form.outcome}
          onChange={(v) => v && set('outcome', v as AuditOutcome)}
          allowDeselect={false}
          data-testid="audit-outcome"
        />
        <TextInput
          label={t('certAudit.plannedOn')}
          type="date"
          value={form.plannedOn}
          onChange={(e) => set('plannedOn', e.currentTarget.value)}
          required
          error={errors.plannedOn}
          data-testid="audit-planned"
        />
        <TextInput
          label={t('certAudit.heldOn')}
          type="date"
          value={form.heldOn}
          onChange={(e) => set('heldOn', e.currentTarget.value)}
          error={errors.heldOn}
          data-testid="audit-held"
        />
      </SimpleGrid>
      <Textarea
        label={t('certAudit.notes')}
        placeholder={t('certAudit.notesPlaceholder')}
        value={form.notes}
        onChange={(e) => set('notes', e.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={4000}
        error={errors.notes}
      />
      <ErrorAlert
        error={save.error}
        onReload={() => {
          void queryClient.invalidateQueries({ queryKey: complianceKeys.certifications });
          onClose();
        }}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!form.plannedOn}
          data-testid="audit-save"
        >
          {audit ? t('common.save') : t('certAudit.add')}
        </Button>
      </Group>
    </Stack>
  );
}
