// A company's departments as a nested list: add a child, rename, delete when empty.
import { useState, type FormEvent } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DepartmentDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { ConfirmModal } from '../../shared/ui/confirm.tsx';
import { ChevronDownIcon, ChevronRightIcon, EditIcon, PlusIcon, TrashIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { findNode, subtreeIds, type DepartmentNode } from './lib/tree.ts';
import { createDepartment, deleteDepartment, orgKeys, updateDepartment } from './org.api.ts';
import { useDepartments } from './org.queries.ts';

type Editing =
  { mode: 'create'; parent: DepartmentDto | null } | { mode: 'rename'; department: DepartmentDto };

export function DepartmentTree({ companyId }: { companyId: string }) {
  const t = useT();
  const can = useCan();
  const canWrite = can('department.write');
  const { tree, departments, loading, error } = useDepartments(companyId);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<DepartmentDto | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const queryClient = useQueryClient();

  const remove = useMutation({
    mutationFn: (d: DepartmentDto) => deleteDepartment(d.id),
    onSuccess: (_v, d) => {
      notifySuccess((t) => t('department.deleted', { name: d.name }));
      setDeleting(null);
      void queryClient.invalidateQueries({ queryKey: orgKeys.departments(companyId) });
    },
    onError: (err) => {
      setDeleting(null);
      notifyError(err, t('department.deleteRefused'));
    },
  });

  const toggle = (id: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const renderNode = (node: DepartmentNode, depth: number) => {
    const d = node.department;
    const hasChildren = node.children.length > 0;
    const open = !collapsed.has(d.id);
    return (
      <Box key={d.id}>
        <Group
          gap="xs"
          wrap="nowrap"
          py={6}
          pr="xs"
          pl={depth * 24 + 4}
          className="mamori-tree-row"
          data-testid="department-node"
        >
          <UnstyledButton
            onClick={() => hasChildren && toggle(d.id)}
            w={20}
            h={20}
            style={{ display: 'grid', placeItems: 'center', visibility: hasChildren ? 'visible' : 'hidden' }}
            aria-label={open ? t('common.collapse') : t('common.expand')}
          >
            {open ? <ChevronDownIcon size={16} /> : <ChevronRightIcon size={16} />}
          </UnstyledButton>
          <Text size="sm" fw={depth === 0 ? 600 : 400} style={{ flex: 1 }} truncate>
            {d.name}
          </Text>
          <Badge variant="outline" color="gray" size="sm" ff="monospace" tt="none">
            {d.code}
          </Badge>
          {canWrite && (
            <Group gap={2} wrap="nowrap" className="mamori-tree-actions">
              <Tooltip label={t('department.addChild')}>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  onClick={() => setEditing({ mode: 'create', parent: d })}
                  aria-label={t('department.addChild')}
                  data-testid="department-add-child"
                >
                  <PlusIcon size={15} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('department.rename')}>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  onClick={() => setEditing({ mode: 'rename', department: d })}
                  aria-label={t('department.rename')}
                  data-testid="department-rename"
                >
                  <EditIcon size={15} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={hasChildren ? t('department.hasChildren') : t('common.delete')}>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="sm"
                  disabled={hasChildren}
                  onClick={() => setDeleting(d)}
                  aria-label={t('common.delete')}
                  data-testid="department-delete"
                >
                  <TrashIcon size={15} />
                </ActionIcon>
              </Tooltip>
            </Group>
          )}
        </Group>
        {hasChildren && open && node.children.map((child) => renderNode(child, depth + 1))}
      </Box>
    );
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('department.count', { count: departments.length })}
        </Text>
        {canWrite && (
          <Button
            size="xs"
            variant="light"
            leftSection={<PlusIcon size={14} />}
            onClick={() => setEditing({ mode: 'create', parent: null })}
            data-testid="department-create"
          >
            {t('department.addTop')}
          </Button>
        )}
      </Group>
      {error && (
        <Alert color="red">
          <ProblemDetails error={error} t={t} />
        </Alert>
      )}
      {loading && <Text size="sm">{t('common.loading')}</Text>}
      {!loading && tree.length === 0 && (
        <Text size="sm" c="dimmed" ta="center" py="md">
          {t('department.empty')}
        </Text>
      )}
      <Box>{tree.map((node) => renderNode(node, 0))}</Box>
      <DepartmentModal companyId={companyId} editing={editing} onClose={() => setEditing(null)} />
      <ConfirmModal
        opened={deleting !== null}
        title={t('department.delete')}
        message={t('department.deleteConfirm', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
      />
    </Stack>
  );
}

function DepartmentModal({
  companyId,
  editing,
  onClose,
}: {
  companyId: string;
  editing: Editing | null;
  onClose: () => void;
}) {
  const t = useT();
  const title = !editing
    ? ''
    : editing.mode === 'rename'
      ? t('department.rename')
      : editing.parent
        ? t('department.addChildOf', { name: editing.parent.name })
        : t('department.addTop');
  return (
    <Modal opened={editing !== null} onClose={onClose} title={title}>
      {editing && (
        <DepartmentForm
          key={editing.mode === 'rename' ? editing.department.id : (editing.parent?.id ?? 'root')}
          companyId={companyId}
          editing={editing}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function DepartmentForm({
  companyId,
  editing,
  onClose,
}: {
  companyId: string;
  editing: Editing;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const current = editing.mode === 'rename' ? editing.department : null;
  const [name, setName] = useState(current?.name ?? '');
  const [code, setCode] = useState(current?.code ?? '');
  const [parentId, setParentId] = useState<string | null>(current?.parentId ?? null);
  const { flat, tree } = useDepartments(companyId);
  // A department cannot move under itself or one of its own sub-departments.
  const node = current ? findNode(tree, current.id) : undefined;
  const excluded = node ? subtreeIds(node) : new Set<string>();
  const parentOptions = flat.filter((f) => !excluded.has(f.id)).map((f) => ({ value: f.id, label: f.path }));
  const save = useMutation({
    mutationFn: () => {
      if (editing.mode === 'rename') {
        const d = editing.department;
        return updateDepartment(d.id, {
          version: d.version,
          ...(name.trim() !== d.name ? { name: name.trim() } : {}),
          ...(code.trim() !== d.code ? { code: code.trim() } : {}),
          ...(parentId !== d.parentId ? { parentId } : {}),
        });
      }
      return createDepartment(companyId, {
        name: name.trim(),
        code: code.trim(),
        parentId: editing.parent?.id ?? null,
      });
    },
    onSuccess: (d) => {
      notifySuccess((t) =>
        editing.mode === 'rename'
          ? t('department.renamed', { name: d.name })
          : t('department.created', { name: d.name }),
      );
      void queryClient.invalidateQueries({ queryKey: orgKeys.departments(companyId) });
      onClose();
    },
    onError: (err) => notifyError(err),
  });
  const errors = fieldErrors(save.error, t);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label={t('department.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.name}
          required
          maxLength={200}
          data-autofocus
          data-testid="department-name"
        />
        <TextInput
          label={t('department.code')}
          description={t('department.codeHelp')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={errors.code}
          required
          maxLength={50}
          data-testid="department-code"
        />
        {current && (
          <Select
            label={t('department.parent')}
            placeholder={t('department.noParent')}
            data={parentOptions}
            value={parentId}
            onChange={setParentId}
            searchable
            clearable
            error={errors.parentId}
            data-testid="department-parent"
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="department-save">
            {editing.mode === 'rename' ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
