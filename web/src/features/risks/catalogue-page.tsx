// The group's catalogue of threats and vulnerabilities that risks are described with; group-wide writers
// add and edit entries.
import { useState, type FormEvent } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../shared/api/client.ts';
import { CATALOGUE_KINDS, type CatalogueItemDto, type CatalogueKind } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { EditIcon, PlusIcon, SearchIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { createCatalogueItem, riskKeys, updateCatalogueItem } from './risks.api.ts';
import { useCatalogue } from './risks.queries.ts';

const normalise = (s: string) => s.normalize('NFKC').toLowerCase();

export function CataloguePage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const [params, setParams] = useSearchParams();
  const kind: CatalogueKind = params.get('kind') === 'vulnerability' ? 'vulnerability' : 'threat';
  const [q, setQ] = useState('');
  const catalogue = useCatalogue();
  const [editing, setEditing] = useState<CatalogueItemDto | 'new' | null>(null);
  const items = catalogue.items.filter(
    (c) =>
      c.kind === kind &&
      (!q.trim() || normalise(`${c.code} ${c.name} ${c.description ?? ''}`).includes(normalise(q.trim()))),
  );
  const canWrite = can('risk.write');
  return (
    <>
      <PageHeader
        title={t('catalogue.title')}
        description={t('catalogue.description')}
        actions={
          canWrite && (
            <Button
              leftSection={<PlusIcon />}
              onClick={() => setEditing('new')}
              data-testid="catalogue-create"
            >
              {t('catalogue.create')}
            </Button>
          )
        }
      />
      <Group mb="md" gap="sm">
        <SegmentedControl
          value={kind}
          onChange={(v) => setParams({ kind: v }, { replace: true })}
          data={CATALOGUE_KINDS.map((k) => ({
            value: k,
            label: `${t(`catalogueKind.${k}`)} (${catalogue.items.filter((c) => c.kind === k).length})`,
          }))}
          data-testid="catalogue-kind"
        />
        <TextInput
          placeholder={t('catalogue.searchPlaceholder')}
          leftSection={<SearchIcon size={16} />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={280}
          data-testid="catalogue-search"
        />
      </Group>
      {catalogue.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={catalogue.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={760}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="catalogue-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={140}>{t('catalogue.code')}</Table.Th>
                <Table.Th>{t('catalogue.name')}</Table.Th>
                <Table.Th w={170}>{t('common.updatedAt')}</Table.Th>
                {canWrite && <Table.Th w={50} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {catalogue.isLoading && <TableSkeleton columns={canWrite ? 4 : 3} />}
              {!catalogue.isLoading && items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text c="dimmed" ta="center" py="lg">
                      {q ? t('common.nothingFound') : t('catalogue.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((c) => (
                <Table.Tr key={c.id} data-testid="catalogue-row">
                  <Table.Td>
                    <Text ff="monospace" size="sm" fw={600}>
                      {c.code}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {c.name}
                    </Text>
                    {c.description && (
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {c.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {formatDate(c.updatedAt)}
                    </Text>
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        onClick={() => setEditing(c)}
                        aria-label={t('common.edit')}
                        data-testid="catalogue-edit"
                      >
                        <EditIcon />
                      </ActionIcon>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('catalogue.create') : t('catalogue.edit')}
      >
        {editing !== null && (
          <CatalogueForm
            key={editing === 'new' ? 'new' : editing.id}
            item={editing === 'new' ? null : editing}
            defaultKind={kind}
            onClose={() => setEditing(null)}
          />
        )}
      </Modal>
    </>
  );
}

function CatalogueForm({
  item,
  defaultKind,
  onClose,
}: {
  item: CatalogueItemDto | null;
  defaultKind: CatalogueKind;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<CatalogueKind>(item?.kind ?? defaultKind);
  const [code, setCode] = useState(item?.code ?? '');
  const [name, setName] = useState(item?.name ?? '');
  const [description, setDescription] = useState(item?.description ?? '');
  const save = useMutation({
    mutationFn: () => {
      const fields = { code: code.trim(), name: name.trim(), description: description.trim() || null };
      if (!item) return createCatalogueItem({ kind, ...fields });
      return updateCatalogueItem(item.id, { version: item.version, ...fields });
    },
    onSuccess: (saved) => {
      notifySuccess((t) =>
        item ? t('catalogue.updated', { code: saved.code }) : t('catalogue.created', { code: saved.code }),
      );
      void queryClient.invalidateQueries({ queryKey: riskKeys.catalogue });
      onClose();
    },
    onError: (err) => {
      if (!(err instanceof ApiError && (err.code === 'stale_version' || err.status === 422)))
        notifyError(err);
    },
  });
  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const errors = fieldErrors(save.error, t);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        {stale && (
          <Alert color="orange" title={t('error.staleTitle')}>
            {t('error.staleVersion')}
            <Group mt="sm">
              <Button
                size="xs"
                variant="white"
                color="orange"
                onClick={() => {
                  void queryClient.invalidateQueries({ queryKey: riskKeys.catalogue });
                  onClose();
                }}
              >
                {t('common.reload')}
              </Button>
            </Group>
          </Alert>
        )}
        {save.error instanceof ApiError && save.error.status === 422 && (
          <Alert color="red">
            <ProblemDetails error={save.error} t={t} />
          </Alert>
        )}
        <Select
          label={t('catalogue.kind')}
          data={CATALOGUE_KINDS.map((k) => ({ value: k, label: t(`catalogueKind.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v as CatalogueKind)}
          disabled={item !== null}
          allowDeselect={false}
          data-testid="catalogue-form-kind"
        />
        <TextInput
          label={t('catalogue.code')}
          description={t('catalogue.codeHelp')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={errors.code}
          required
          maxLength={30}
          data-testid="catalogue-form-code"
        />
        <TextInput
          label={t('catalogue.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.name}
          required
          maxLength={200}
          data-testid="catalogue-form-name"
        />
        <Textarea
          label={t('catalogue.descriptionField')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={errors.description}
          autosize
          minRows={2}
          maxLength={2000}
          data-testid="catalogue-form-description"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={stale} data-testid="catalogue-form-save">
            {item ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
