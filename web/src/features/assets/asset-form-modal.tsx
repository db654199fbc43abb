// Create or edit an information asset: identity, owner and custodian, classification on the company's scale,
// personal-information, PCI and specified-user-information flags. Edits carry the version read.
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Divider,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/client.ts';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import {
  ASSET_TYPES,
  LIFECYCLE_STATES,
  PERSONAL_DATA_CATEGORIES,
  type AssetDto,
  type AssetType,
  type Lifecycle,
  type PersonalDataCategory,
  type UpdateAssetInput,
} from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { DepartmentSelect, PersonPicker } from './asset-pickers.tsx';
import { assetKeys, createAsset, getAsset, getScale, updateAsset } from './assets.api.ts';

interface FormState {
  companyId: string | null;
  code: string;
  name: string;
  assetType: AssetType | null;
  lifecycle: Lifecycle;
  description: string;
  departmentId: string | null;
  ownerPersonId: string | null;
  custodianPersonId: string | null;
  location: string;
  confidentiality: string | null;
  integrity: string | null;
  availability: string | null;
  personalData: boolean;
  personalDataCategories: PersonalDataCategory[];
  personalRecordCount: number | null;
  pciScope: boolean;
  specifiedUserInfo: boolean;
}

const toForm = (a: AssetDto | null, companyId: string | null): FormState => ({
  companyId: a?.companyId ?? companyId,
  code: a?.code ?? '',
  name: a?.name ?? '',
  assetType: a?.assetType ?? null,
  lifecycle: a?.lifecycle ?? 'in_use',
  description: a?.description ?? '',
  departmentId: a?.departmentId ?? null,
  ownerPersonId: a?.ownerPersonId ?? null,
  custodianPersonId: a?.custodianPersonId ?? null,
  location: a?.location ?? '',
  confidentiality: a ? String(a.confidentiality) : null,
  integrity: a ? String(a.integrity) : null,
  availability: a ? String(a.availability) : null,
  personalData: a?.personalData ?? false,
  personalDataCategories: a?.personalDataCategories ?? [],
  personalRecordCount: a?.personalRecordCount ?? null,
  pciScope: a?.pciScope ?? false,
  specifiedUserInfo: a?.specifiedUserInfo ?? false,
});

interface AssetFormModalProps {
  opened: boolean;
  onClose: () => void;
  asset?: AssetDto | null;
  defaultCompanyId?: string | null;
  onSaved?: (asset: AssetDto) => void;
}

export function AssetFormModal({ opened, onClose, asset, defaultCompanyId, onSaved }: AssetFormModalProps) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onClose} title={asset ? t('asset.edit') : t('asset.create')} size="xl">
      {opened && (
        <AssetForm
          key={asset?.id ?? 'new'}
          asset={asset ?? null}
          defaultCompanyId={defaultCompanyId ?? null}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Modal>
  );
}

function AssetForm({
  asset,
  defaultCompanyId,
  onClose,
  onSaved,
}: {
  asset: AssetDto | null;
  defaultCompanyId: string | null;
  onClose: () => void;
  onSaved?: ((asset: AssetDto) => void) | undefined;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const lookup = useCompanyLookup();
  const [base, setBase] = useState<AssetDto | null>(asset);
  const [form, setForm] = useState<FormState>(() => toForm(asset, defaultCompanyId));
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const scale = useQuery({
    queryKey: assetKeys.scale(form.companyId ?? 'none'),
    queryFn: () => getScale(form.companyId as string),
    enabled: Boolean(form.companyId),
  });
  const levels = scale.data?.levels ?? 3;
  const levelOptions = Array.from({ length: levels }, (_, i) => ({
    value: String(i + 1),
    label:
      i === 0
        ? t('asset.levelLow', { n: 1 })
        : i === levels - 1
          ? t('asset.levelHigh', { n: levels })
          : String(i + 1),
  }));

  const save = useMutation({
    mutationFn: async (f: FormState) => {
      const personal = f.personalData || f.assetType === 'personal_information';
      const common = {
        name: f.name.trim(),
        description: f.description.trim() || null,
        departmentId: f.departmentId,
        custodianPersonId: f.custodianPersonId,
        location: f.location.trim() || null,
        lifecycle: f.lifecycle,
        personalData: personal,
        personalDataCategories: personal ? f.personalDataCategories : [],
        personalRecordCount: personal ? f.personalRecordCount : null,
        pciScope: f.pciScope,
        specifiedUserInfo: f.specifiedUserInfo,
      };
      if (!f.assetType || !f.ownerPersonId || !f.confidentiality || !f.integrity || !f.availability)
        throw new Error(t('asset.required'));
      if (!base) {
        if (!f.companyId) throw new Error(t('asset.required'));
        return createAsset({
          companyId: f.companyId,
          ...(f.code.trim() ? { code: f.code.trim() } : {}),
          ...common,
          assetType: f.assetType,
          ownerPersonId: f.ownerPersonId,
          confidentiality: Number(f.confidentiality),
          integrity: Number(f.integrity),
          availability: Number(f.availability),
        });
      }
      const next: Omit<UpdateAssetInput, 'version'> = {
        ...common,
        code: f.code.trim(),
        assetType: f.assetType,
        ownerPersonId: f.ownerPersonId,
        confidentiality: Number(f.confidentiality),
        integrity: Number(f.integrity),
        availability: Number(f.availability),
      };
      // Send only what changed, so that a field someone else changed meanwhile is not overwritten.
      const changes = Object.fromEntries(
        Object.entries(next).filter(
          ([k, v]) => JSON.stringify(v) !== JSON.stringify((base as Record<string, unknown>)[k] ?? null),
        ),
      );
      return updateAsset(base.id, { version: base.version, ...changes });
    },
    onSuccess: (saved) => {
      notifySuccess((t) =>
        base ? t('asset.updated', { code: saved.code }) : t('asset.created', { code: saved.code }),
      );
      void queryClient.invalidateQueries({ queryKey: assetKeys.all });
      onSaved?.(saved);
      onClose();
    },
    onError: (err) => {
      if (!(err instanceof ApiError && err.code === 'stale_version')) notifyError(err);
    },
  });
  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const errors = fieldErrors(save.error, t);

  const reload = async () => {
    if (!base) return;
    try {
      const latest = await getAsset(base.id);
      setBase(latest);
      setForm(toForm(latest, latest.companyId));
      save.reset();
    } catch (err) {
      notifyError(err);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  const personal = form.personalData || form.assetType === 'personal_information';

  return (
    <form onSubmit={submit}>
      <Stack>
        {stale && (
          <Alert color="orange" title={t('error.staleTitle')} data-testid="stale-alert">
            {t('error.staleVersion')}
            <Group mt="sm">
              <Button size="xs" variant="white" color="orange" onClick={() => void reload()}>
                {t('common.reload')}
              </Button>
            </Group>
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('asset.company')}
            data={lookup.options}
            value={form.companyId}
            onChange={(v) =>
              setForm((f) => ({
                ...f,
                companyId: v,
                departmentId: null,
                ownerPersonId: null,
                custodianPersonId: null,
              }))
            }
            searchable
            required
            disabled={base !== null}
            data-testid="asset-company"
          />
          <TextInput
            label={t('asset.code')}
            placeholder={base ? undefined : t('asset.codeGenerated')}
            value={form.code}
            onChange={(e) => set('code', e.currentTarget.value)}
            error={errors.code}
            maxLength={50}
            data-testid="asset-code"
          />
          <TextInput
            label={t('asset.name')}
            value={form.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={errors.name}
            required
            maxLength={200}
            data-testid="asset-name"
          />
          <Select
            label={t('asset.type')}
            data={ASSET_TYPES.map((x) => ({ value: x, label: t(`assetType.${x}`) }))}
            value={form.assetType}
            onChange={(v) => set('assetType', v as AssetType | null)}
            required
            data-testid="asset-type"
          />
          <Select
            label={t('asset.lifecycle')}
            data={LIFECYCLE_STATES.map((x) => ({ value: x, label: t(`lifecycle.${x}`) }))}
            value={form.lifecycle}
            onChange={(v) => v && set('lifecycle', v as Lifecycle)}
            data-testid="asset-lifecycle"
          />
          <TextInput
            label={t('asset.location')}
            value={form.location}
            onChange={(e) => set('location', e.currentTarget.value)}
            maxLength={200}
            data-testid="asset-location"
          />
        </SimpleGrid>
        <Textarea
          label={t('asset.description')}
          value={form.description}
          onChange={(e) => set('description', e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={2000}
          data-testid="asset-description"
        />
        <Divider label={t('asset.responsibility')} labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <PersonPicker
            label={t('asset.owner')}
            companyId={form.companyId}
            selectedName={base && form.ownerPersonId === base.ownerPersonId ? base.ownerName : null}
            value={form.ownerPersonId}
            onChange={(v) => set('ownerPersonId', v)}
            error={errors.ownerPersonId}
            required
            disabled={!form.companyId}
            data-testid="asset-owner"
          />
          <PersonPicker
            label={t('asset.custodian')}
            companyId={form.companyId}
            selectedName={
              base && form.custodianPersonId === base.custodianPersonId ? base.custodianName : null
            }
            value={form.custodianPersonId}
            onChange={(v) => set('custodianPersonId', v)}
            error={errors.custodianPersonId}
            clearable
            disabled={!form.companyId}
            data-testid="asset-custodian"
          />
          <DepartmentSelect
            label={t('asset.department')}
            companyId={form.companyId}
            value={form.departmentId}
            onChange={(v) => set('departmentId', v)}
            error={errors.departmentId}
            clearable
            data-testid="asset-department"
          />
        </SimpleGrid>
        <Divider label={t('asset.classification')} labelPosition="left" />
        <Text size="xs" c="dimmed" mt={-8}>
          {t('asset.scaleHelp', { levels })}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {(['confidentiality', 'integrity', 'availability'] as const).map((k) => (
            <Select
              key={k}
              label={t(`asset.${k}`)}
              data={levelOptions}
              value={form[k]}
              onChange={(v) => set(k, v)}
              error={errors[k]}
              required
              data-testid={`asset-${k}`}
            />
          ))}
        </SimpleGrid>
        <Divider label={t('asset.flags')} labelPosition="left" />
        <Group gap="xl">
          <Switch
            label={t('asset.personalData')}
            checked={personal}
            disabled={form.assetType === 'personal_information'}
            onChange={(e) => set('personalData', e.currentTarget.checked)}
            data-testid="asset-personal"
          />
          <Switch
            label={t('asset.pciScope')}
            checked={form.pciScope}
            onChange={(e) => set('pciScope', e.currentTarget.checked)}
            data-testid="asset-pci"
          />
          <Switch
            label={t('asset.specifiedUserInfo')}
            checked={form.specifiedUserInfo}
            onChange={(e) => set('specifiedUserInfo', e.currentTarget.checked)}
            data-testid="asset-sui"
          />
        </Group>
        {personal && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MultiSelect
              label={t('asset.categories')}
              data={PERSONAL_DATA_CATEGORIES.map((c) => ({ value: c, label: t(`pdCategory.${c}`) }))}
              value={form.personalDataCategories}
              onChange={(v) => set('personalDataCategories', v as PersonalDataCategory[])}
              clearable
              data-testid="asset-categories"
            />
            <NumberInput
              label={t('asset.recordCount')}
              description={t('asset.recordCountHelp')}
              value={form.personalRecordCount ?? ''}
              onChange={(v) => set('personalRecordCount', typeof v === 'number' ? v : null)}
              min={0}
              max={2_147_483_647}
              thousandSeparator=","
              allowDecimal={false}
              data-testid="asset-record-count"
            />
          </SimpleGrid>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={stale} data-testid="asset-save">
            {base ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
