// One catalog: its requirement tree (collapsible, searchable; withdrawn ones dimmed), the OSCAL export, and a
// drawer with the mappings of the requirement clicked.
import { useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Card,
  Group,
  Highlight,
  Loader,
  Paper,
  SimpleGrid,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import type { RequirementDto } from '../../shared/api/types.ts';
import { Link, useParams } from 'react-router';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ChevronDownIcon, ChevronRightIcon, DownloadIcon, SearchIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { getRequirements, frameworkKeys, oscalExportUrl } from './frameworks.api.ts';
import { SourceBadge } from './frameworks-page.tsx';
import { RequirementMappingsDrawer } from './requirement-mappings-drawer.tsx';
import {
  allParents,
  assessableBelow,
  buildRequirementTree,
  countRequirements,
  openToDepth,
  searchTree,
  type RequirementNode,
} from './lib/requirement-tree.ts';

function Stat({ label, value, color }: { label: string; value: ReactNode; color?: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} c={color}>
        {value}
      </Text>
    </Paper>
  );
}

export function FrameworkDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: frameworkKeys.requirements(id),
    queryFn: ({ signal }) => getRequirements(id, signal),
    staleTime: 5 * 60_000,
  });
  const items = useMemo(() => query.data?.items ?? [], [query.data]);
  const tree = useMemo(() => buildRequirementTree(items), [items]);
  const counts = useMemo(() => countRequirements(items), [items]);
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 200);
  const search = useMemo(() => searchTree(tree, debounced), [tree, debounced]);
  // null: the default (top two levels open); otherwise what the user opened.
  const [open, setOpen] = useState<Set<string> | null>(null);
  const opened = open ?? openToDepth(tree, 2);
  const [selected, setSelected] = useState<RequirementDto | null>(null);

  if (query.isLoading) return <Loader />;
  if (query.error || !query.data) {
    return (
      <Alert color="red" title={t('error.title')}>
        <ProblemDetails error={query.error} t={t} />
      </Alert>
    );
  }
  const f = query.data.framework;

  const toggle = (nodeId: string) =>
    setOpen(() => {
      const next = new Set(opened);
      if (next.has(nodeId)) next.delete(nodeId);
      else next.add(nodeId);
      return next;
    });

  const renderNode = (node: RequirementNode, depth: number): ReactNode => {
    const r = node.requirement;
    if (search && !search.visible.has(r.id)) return null;
    const hasChildren = node.children.length > 0;
    const isOpen = search ? true : opened.has(r.id);
    return (
      <Box key={r.id}>
        <Group
          gap="xs"
          wrap="nowrap"
          py={5}
          pr="xs"
          pl={depth * 22 + 4}
          className="mamori-tree-row"
          style={{
            opacity: r.withdrawn ? 0.45 : 1,
            background: selected?.id === r.id ? 'var(--mantine-color-indigo-0)' : undefined,
          }}
          data-testid="requirement-node"
          data-withdrawn={r.withdrawn || undefined}
          data-selected={selected?.id === r.id || undefined}
        >
          <UnstyledButton
            onClick={() => hasChildren && !search && toggle(r.id)}
            w={20}
            h={20}
            style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', flexShrink: 0 }}
            aria-label={hasChildren ? (isOpen ? t('common.collapse') : t('common.expand')) : undefined}
            aria-expanded={hasChildren ? isOpen : undefined}
            disabled={!hasChildren}
          >
            {hasChildren ? isOpen ? <ChevronDownIcon size={16} /> : <ChevronRightIcon size={16} /> : null}
          </UnstyledButton>
          <UnstyledButton
            onClick={() => setSelected(r)}
            style={{ flex: 1, minWidth: 0, display: 'flex', gap: 'var(--mantine-spacing-xs)' }}
            title={t('mapping.open')}
            data-testid="requirement-open"
            data-ref={r.ref}
          >
            <Text
              ff="monospace"
              size="sm"
              fw={hasChildren && depth < 2 ? 700 : 500}
              c={hasChildren ? undefined : 'indigo.8'}
              style={{ flexShrink: 0, minWidth: 56 }}
            >
              {r.ref}
            </Text>
            <Highlight
              highlight={search ? debounced.trim() : ''}
              size="sm"
              fw={hasChildren ? (depth < 2 ? 600 : 500) : 400}
              td={r.withdrawn ? 'line-through' : undefined}
              style={{ flex: 1, minWidth: 0 }}
              lineClamp={2}
            >
              {r.title}
            </Highlight>
          </UnstyledButton>
          {r.withdrawn && (
            <Badge size="xs" color="gray" variant="outline" tt="none">
              {t('framework.withdrawn')}
            </Badge>
          )}
          {hasChildren && (
            <Badge size="xs" variant="light" color="gray" tt="none">
              {assessableBelow(node) === 1
                ? t('framework.countBelowOne')
                : t('framework.countBelow', { count: assessableBelow(node) })}
            </Badge>
          )}
          {!hasChildren && r.class && (
            <Badge size="xs" variant="dot" color="gray" tt="none">
              {r.class}
            </Badge>
          )}
        </Group>
        {hasChildren && isOpen && node.children.map((c) => renderNode(c, depth + 1))}
      </Box>
    );
  };

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/frameworks" size="sm">
          {t('nav.frameworks')}
        </Anchor>
        <Text size="sm">{f.ref}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg">
        <div>
          <Group gap="sm">
            <Title order={2} data-testid="framework-title">
              {f.name}
            </Title>
            <SourceBadge source={f.source} />
          </Group>
          <Text c="dimmed" size="sm">
            {[f.publisher, `${t('framework.edition')} ${f.edition}`].filter(Boolean).join(' · ')}
            {' · '}
            <Text span ff="monospace" size="sm">
              {f.ref}
            </Text>
          </Text>
        </div>
        <Button
          variant="default"
          leftSection={<DownloadIcon />}
          component="a"
          href={oscalExportUrl(f.id)}
          download={`${f.ref}.oscal.json`}
          data-testid="oscal-export"
        >
          {t('framework.exportOscal')}
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="lg">
        <Stat
          label={t('framework.statRequirements')}
          value={counts.assessable.toLocaleString()}
          color="indigo"
        />
        <Stat label={t('framework.statGroups')} value={counts.groups.toLocaleString()} />
        <Stat label={t('framework.statWithdrawn')} value={counts.withdrawn.toLocaleString()} color="gray" />
        <Stat label={t('framework.statTopLevel')} value={tree.length.toLocaleString()} />
      </SimpleGrid>
      <Card withBorder padding="lg">
        <Group justify="space-between" mb="sm" wrap="wrap">
          <Title order={4}>{t('framework.tree')}</Title>
          <Group gap="xs">
            <TextInput
              placeholder={t('framework.searchPlaceholder')}
              leftSection={<SearchIcon size={16} />}
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
              w={300}
              data-testid="requirement-search"
            />
            <Button variant="subtle" size="sm" onClick={() => setOpen(allParents(tree))} disabled={!!search}>
              {t('framework.expandAll')}
            </Button>
            <Button variant="subtle" size="sm" onClick={() => setOpen(new Set())} disabled={!!search}>
              {t('framework.collapseAll')}
            </Button>
          </Group>
        </Group>
        {search && (
          <Text size="sm" c="dimmed" mb="xs" data-testid="requirement-hits">
            {t('framework.hits', { count: search.hits.size })}
          </Text>
        )}
        {search && search.hits.size === 0 ? (
          <Text c="dimmed" ta="center" py="lg">
            {t('common.nothingFound')}
          </Text>
        ) : (
          <Box data-testid="requirement-tree">{tree.map((n) => renderNode(n, 0))}</Box>
        )}
      </Card>
      <RequirementMappingsDrawer
        requirement={selected}
        frameworkId={f.id}
        frameworkRef={f.ref}
        onClose={() => setSelected(null)}
      />
    </>
  );
}
