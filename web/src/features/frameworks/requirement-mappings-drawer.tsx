// One requirement's mappings to other frameworks, in a side drawer: list, add, edit relation/note, delete.
import { useMemo, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Divider,
  Drawer,
  Group,
  Loader,
  Select,
  Stack,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError } from '../../shared/api/client.ts';
import type { FrameworkDto, RequirementDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { ConfirmModal } from '../../shared/ui/confirm.tsx';
import { EditIcon, PlusIcon, TrashIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import {
  createMapping,
  deleteMapping,
  frameworkKeys,
  getRequirements,
  listFrameworks,
  listMappings,
  mappingKeys,
  updateMapping,
} from './frameworks.api.ts';
import {
  RELATIONS,
  RELATION_COLORS,
  storedRelation,
  viewMappings,
  type MappingRelation,
  type MappingView,
} from './lib/mappings.ts';

export function RelationBadge({ relation }: { relation: MappingRelation }) {
  const t = useT();
  return (
    <Badge variant="light" color={RELATION_COLORS[relation]} tt="none" data-testid="mapping-relation">
      {t(`mapping.relation.${relation}`)}
    </Badge>
  );
}

function useRelationOptions() {
  const t = useT();
  return RELATIONS.map((r) => ({ value: r, label: t(`mapping.relation.${r}`) }));
}

const isConflict = (err: unknown) => err instanceof ApiError && err.status === 409;

function MappingItem({ view, canManage }: { view: MappingView; canManage: boolean }) {
  const t = useT();
  const queryClient = useQueryClient();
  const relationOptions = useRelationOptions();
  const { mapping, other } = view;
  const [editing, setEditing] = useState(false);
  const [relation, setRelation] = useState<MappingRelation>(view.relation);
  const [note, setNote] = useState(mapping.note ?? '');
  const [confirming, setConfirming] = useState(false);
  const reload = () => queryClient.invalidateQueries({ queryKey: mappingKeys.all });

  const save = useMutation({
    mutationFn: () =>
      updateMapping(mapping.id, {
        version: mapping.version,
        relation: storedRelation(view, relation),
        note: note.trim() || null,
      }),
    onSuccess: () => {
      notifySuccess((t) => t('mapping.saved'));
      setEditing(false);
      void reload();
    },
    onError: (err) => {
      notifyError(err, isConflict(err) ? t('error.staleTitle') : undefined);
      if (isConflict(err)) {
        setEditing(false);
        void reload();
      }
    },
  });
  const remove = useMutation({
    mutationFn: () => deleteMapping(mapping.id),
    onSuccess: () => {
      notifySuccess((t) => t('mapping.deleted'));
      setConfirming(false);
      void reload();
    },
    onError: (err) => notifyError(err),
  });

  const startEdit = () => {
    setRelation(view.relation);
    setNote(mapping.note ?? '');
    setEditing(true);
  };

  return (
    <Card withBorder padding="sm" radius="md" data-testid="mapping-item">
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap={6} wrap="nowrap">
            <Badge variant="outline" color="gray" tt="none" ff="monospace" style={{ flexShrink: 0 }}>
              {other.frameworkRef}
            </Badge>
            <Anchor
              component={Link}
              to={`/frameworks/${other.frameworkId}`}
              ff="monospace"
              size="sm"
              fw={600}
              data-testid="mapping-other-ref"
            >
              {other.ref}
            </Anchor>
          </Group>
          <Text size="sm" lineClamp={2}>
            {other.title}
          </Text>
        </Stack>
        {!editing && (
          <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
            <RelationBadge relation={view.relation} />
            {canManage && (
              <>
                <Tooltip label={t('common.edit')}>
                  <ActionIcon
                    variant="subtle"
                    onClick={startEdit}
                    aria-label={t('common.edit')}
                    data-testid="mapping-edit"
                  >
                    <EditIcon size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('common.delete')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    onClick={() => setConfirming(true)}
                    aria-label={t('common.delete')}
                    data-testid="mapping-delete"
                  >
                    <TrashIcon size={16} />
                  </ActionIcon>
                </Tooltip>
              </>
            )}
          </Group>
        )}
      </Group>
      {!editing && mapping.note && (
        <Text size="xs" c="dimmed" mt={6} style={{ whiteSpace: 'pre-wrap' }} data-testid="mapping-note">
          {mapping.note}
        </Text>
      )}
      {editing && (
        <Stack gap="xs" mt="sm">
          <Select
            label={t('mapping.relationLabel')}
            data={relationOptions}
            value={relation}
            onChange={(v) => v && setRelation(v as MappingRelation)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            data-testid="mapping-edit-relation"
          />
          <Textarea
            label={t('mapping.note')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={2000}
            data-testid="mapping-edit-note"
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" size="xs" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              size="xs"
              loading={save.isPending}
              onClick={() => save.mutate()}
              data-testid="mapping-save"
            >
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      )}
      <ConfirmModal
        opened={confirming}
        title={t('mapping.deleteTitle')}
        message={t('mapping.deleteMessage', { ref: `${other.frameworkRef} ${other.ref}` })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}

function AddMappingForm({
  requirement,
  frameworkId,
  onDone,
}: {
  requirement: RequirementDto;
  frameworkId: string;
  onDone: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const relationOptions = useRelationOptions();
  const [otherFramework, setOtherFramework] = useState<string | null>(null);
  const [target, setTarget] = useState<string | null>(null);
  const [relation, setRelation] = useState<MappingRelation>('equivalent');
  const [note, setNote] = useState('');

  const frameworks = useQuery({
    queryKey: frameworkKeys.list,
    queryFn: ({ signal }) => listFrameworks(signal),
  });
  const others: FrameworkDto[] = (frameworks.data ?? []).filter((f) => f.id !== frameworkId);
  const targets = useQuery({
    queryKey: frameworkKeys.requirements(otherFramework ?? ''),
    queryFn: ({ signal }) => getRequirements(otherFramework!, signal),
    enabled: !!otherFramework,
    staleTime: 5 * 60_000,
  });
  const targetOptions = useMemo(
    () =>
      (targets.data?.items ?? [])
        .filter((r) => r.assessable && !r.withdrawn)
        .map((r) => ({ value: r.id, label: `${r.ref} — ${r.title}` })),
    [targets.data],
  );

  const create = useMutation({
    mutationFn: () =>
      createMapping({
        sourceRequirementId: requirement.id,
        targetRequirementId: target!,
        relation,
        note: note.trim() || null,
      }),
    onSuccess: () => {
      notifySuccess((t) => t('mapping.created'));
      void queryClient.invalidateQueries({ queryKey: mappingKeys.all });
      onDone();
    },
    onError: (err) => notifyError(err, isConflict(err) ? t('mapping.alreadyMapped') : undefined),
  });

  return (
    <Card withBorder padding="sm" radius="md" bg="var(--mantine-color-gray-0)" data-testid="mapping-add-form">
      <Stack gap="xs">
        <Select
          label={t('mapping.otherFramework')}
          placeholder={t('mapping.chooseFramework')}
          data={others.map((f) => ({ value: f.id, label: `${f.name} (${f.ref})` }))}
          value={otherFramework}
          onChange={(v) => {
            setOtherFramework(v);
            setTarget(null);
          }}
          searchable
          data-testid="mapping-add-framework"
        />
        <Select
          label={t('mapping.otherRequirement')}
          placeholder={t('mapping.searchRequirement')}
          data={targetOptions}
          value={target}
          onChange={setTarget}
          searchable
          limit={100}
          disabled={!otherFramework}
          rightSection={targets.isFetching ? <Loader size={14} /> : undefined}
          nothingFoundMessage={t('common.nothingFound')}
          data-testid="mapping-add-requirement"
        />
        <Select
          label={t('mapping.relationLabel')}
          description={t('mapping.relationHelp', { ref: requirement.ref })}
          data={relationOptions}
          value={relation}
          onChange={(v) => v && setRelation(v as MappingRelation)}
          allowDeselect={false}
          data-testid="mapping-add-relation"
        />
        <Textarea
          label={t('mapping.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={2000}
          data-testid="mapping-add-note"
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button
            size="xs"
            disabled={!target}
            loading={create.isPending}
            onClick={() => create.mutate()}
            data-testid="mapping-add-submit"
          >
            {t('mapping.add')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function RequirementMappingsDrawer({
  requirement,
  frameworkId,
  frameworkRef,
  onClose,
}: {
  requirement: RequirementDto | null;
  frameworkId: string;
  frameworkRef: string;
  onClose: () => void;
}) {
  const t = useT();
  const can = useCan();
  const canManage = can('framework.manage');
  const [adding, setAdding] = useState(false);
  const id = requirement?.id ?? '';
  const query = useQuery({
    queryKey: mappingKeys.of(id),
    queryFn: ({ signal }) => listMappings(id, signal),
    enabled: !!requirement,
  });
  const views = useMemo(() => viewMappings(id, query.data ?? []), [id, query.data]);

  const close = () => {
    setAdding(false);
    onClose();
  };

  return (
    <Drawer
      opened={!!requirement}
      onClose={close}
      position="right"
      size="lg"
      title={
        requirement && (
          <Stack gap={0}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t('mapping.drawerTitle')}
            </Text>
            <Text fw={600}>
              <Text span ff="monospace" fw={700} mr={6}>
                {frameworkRef} {requirement.ref}
              </Text>
              {requirement.title}
            </Text>
          </Stack>
        )
      }
      data-testid="mapping-drawer"
    >
      {requirement && (
        <Stack gap="sm">
          <Group justify="space-between">
            <Text size="sm" c="dimmed" data-testid="mapping-count">
              {query.isSuccess ? t('mapping.count', { count: views.length }) : ''}
            </Text>
            {canManage && !adding && (
              <Button
                size="xs"
                leftSection={<PlusIcon size={14} />}
                onClick={() => setAdding(true)}
                data-testid="mapping-add"
              >
                {t('mapping.add')}
              </Button>
            )}
          </Group>
          {adding && (
            <AddMappingForm
              key={requirement.id}
              requirement={requirement}
              frameworkId={frameworkId}
              onDone={() => setAdding(false)}
            />
          )}
          {query.isLoading && <Loader size="sm" />}
          {query.error && (
            <Alert color="red">
              <ProblemDetails error={query.error} t={t} />
            </Alert>
          )}
          {query.isSuccess && views.length === 0 && !adding && (
            <Text c="dimmed" ta="center" py="lg" size="sm" data-testid="mapping-empty">
              {t('mapping.empty')}
            </Text>
          )}
          {views.length > 0 && (
            <>
              <Divider label={t('mapping.relationReads', { ref: requirement.ref })} labelPosition="left" />
              {views.map((v) => (
                <MappingItem key={`${v.mapping.id}:${v.mapping.version}`} view={v} canManage={canManage} />
              ))}
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
