// One information asset: its fields, classification and flags, its relations, and the graph around it.
import { useState, type ReactNode } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import {
  RELATION_KINDS,
  type AssetDto,
  type GraphNode,
  type RelationDto,
  type RelationKind,
} from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { ConfirmModal } from '../../shared/ui/confirm.tsx';
import { AlertIcon, EditIcon, HistoryIcon, PlusIcon, TrashIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { FlagBadges, LifecycleBadge, TypeLabel, levelColor } from './asset-badges.tsx';
import { AssetFormModal } from './asset-form-modal.tsx';
import { AssetGraphView } from './asset-graph.tsx';
import { AssetPicker } from './asset-pickers.tsx';
import { assetKeys, createRelation, deleteAsset, deleteRelation, getAsset, getGraph } from './assets.api.ts';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb={2}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function LevelBox({ label, level }: { label: string; level: number }) {
  return (
    <Paper withBorder radius="md" p="sm" ta="center">
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text fz={30} fw={700} c={`${levelColor(level)}.7`}>
        {level}
      </Text>
    </Paper>
  );
}

export function AssetDetailPage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { id = '' } = useParams();
  const lookup = useCompanyLookup();
  const asset = useQuery({ queryKey: assetKeys.one(id), queryFn: () => getAsset(id) });
  const [depth, setDepth] = useState('2');
  const direct = useQuery({
    queryKey: assetKeys.graph(id, 1),
    queryFn: ({ signal }) => getGraph(id, 1, signal),
  });
  const graph = useQuery({
    queryKey: assetKeys.graph(id, Number(depth)),
    queryFn: ({ signal }) => getGraph(id, Number(depth), signal),
  });
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const canWrite = can('asset.write');

  const remove = useMutation({
    mutationFn: () => deleteAsset(id),
    onSuccess: () => {
      notifySuccess((t) => t('asset.deleted', { code: asset.data?.code ?? '' }));
      void queryClient.invalidateQueries({ queryKey: assetKeys.all });
      void navigate('/assets');
    },
    onError: (err) => notifyError(err),
  });

  if (asset.isLoading) return <Loader />;
  if (asset.error || !asset.data) {
    return (
      <Alert color="red" title={t('error.title')}>
        <ProblemDetails error={asset.error} t={t} />
      </Alert>
    );
  }
  const a = asset.data;
  const company = lookup.byId.get(a.companyId);

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/assets" size="sm">
          {t('nav.assets')}
        </Anchor>
        <Text size="sm" ff="monospace">
          {a.code}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg">
        <div>
          <Group gap="sm">
            <Title order={2} data-testid="asset-title">
              {a.name}
            </Title>
            <LifecycleBadge lifecycle={a.lifecycle} />
          </Group>
          <Group gap="md" mt={4}>
            <Text c="dimmed" size="sm" ff="monospace">
              {a.code}
            </Text>
            <Text c="dimmed" size="sm" component="div">
              <TypeLabel type={a.assetType} />
            </Text>
            <FlagBadges asset={a} />
          </Group>
        </div>
        <Group>
          {can('audit.read') && (
            <Button
              variant="default"
              component={Link}
              to={`/audit?entityType=asset&entityId=${a.id}`}
              leftSection={<HistoryIcon />}
              data-testid="asset-history"
            >
              {t('common.history')}
            </Button>
          )}
          {can('risk.write') && (
            <Button
              variant="default"
              component={Link}
              to={`/risks/new?${new URLSearchParams({
                companyId: a.companyId,
                assetId: a.id,
                sourceKind: 'asset',
                sourceRef: a.id,
                sourceLabel: `${a.code} ${a.name}`,
              }).toString()}`}
              leftSection={<AlertIcon />}
              data-testid="asset-raise-risk"
            >
              {t('risk.raise')}
            </Button>
          )}
          {canWrite && (
            <Button
              variant="default"
              color="red"
              leftSection={<TrashIcon />}
              onClick={() => setDeleting(true)}
              data-testid="asset-delete"
            >
              {t('common.delete')}
            </Button>
          )}
          {canWrite && (
            <Button
              leftSection={<EditIcon />}
              onClick={() => setEditing(true)}
              data-testid="asset-edit-detail"
            >
              {t('common.edit')}
            </Button>
          )}
        </Group>
      </Group>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder padding="lg" h="100%">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
              <Field label={t('asset.company')}>
                {company ? (
                  <Anchor component={Link} to={`/companies/${company.id}`} size="sm">
                    {company.shortCode} — {company.legalName}
                  </Anchor>
                ) : (
                  '…'
                )}
              </Field>
              <Field label={t('asset.department')}>{a.departmentName ?? '—'}</Field>
              <Field label={t('asset.owner')}>
                <Anchor component={Link} to={`/assets?ownerPersonId=${a.ownerPersonId}`} size="sm">
                  {a.ownerName}
                </Anchor>
              </Field>
              <Field label={t('asset.custodian')}>{a.custodianName ?? '—'}</Field>
              <Field label={t('asset.location')}>{a.location ?? '—'}</Field>
              <Field label={t('common.updatedAt')}>
                {formatDate(a.updatedAt)} · v{a.version}
              </Field>
            </SimpleGrid>
            {a.description && (
              <Text size="sm" mt="lg" style={{ whiteSpace: 'pre-wrap' }}>
                {a.description}
              </Text>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder padding="lg" h="100%">
            <Text fw={600} mb="sm">
              {t('asset.classification')}
            </Text>
            <SimpleGrid cols={3} spacing="sm" data-testid="asset-cia">
              <LevelBox label={t('asset.confidentiality')} level={a.confidentiality} />
              <LevelBox label={t('asset.integrity')} level={a.integrity} />
              <LevelBox label={t('asset.availability')} level={a.availability} />
            </SimpleGrid>
            <Stack gap={6} mt="md">
              <Group gap="xs">
                <Text size="sm" fw={500} w={170}>
                  {t('asset.personalData')}
                </Text>
                <Text size="sm">{a.personalData ? t('asset.yes') : t('asset.no')}</Text>
              </Group>
              {a.personalData && (
                <>
                  <Group gap={4}>
                    {a.personalDataCategories.map((c) => (
                      <Badge key={c} variant="outline" color="pink" tt="none">
                        {t(`pdCategory.${c}`)}
                      </Badge>
                    ))}
                  </Group>
                  {a.personalRecordCount !== null && (
                    <Text size="sm" c="dimmed">
                      {t('asset.recordCountValue', { count: a.personalRecordCount.toLocaleString() })}
                    </Text>
                  )}
                </>
              )}
              <Group gap="xs">
                <Text size="sm" fw={500} w={170}>
                  {t('asset.pciScope')}
                </Text>
                <Text size="sm">{a.pciScope ? t('asset.yes') : t('asset.no')}</Text>
              </Group>
              <Group gap="xs">
                <Text size="sm" fw={500} w={170}>
                  {t('asset.specifiedUserInfo')}
                </Text>
                <Text size="sm">{a.specifiedUserInfo ? t('asset.yes') : t('asset.no')}</Text>
              </Group>
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>

      <Card withBorder padding="lg" mt="lg">
        <Text fw={600} mb="sm">
          {t('asset.relations')}
        </Text>
        <Relations
          asset={a}
          edges={direct.data?.edges ?? []}
          nodes={direct.data?.nodes ?? []}
          canWrite={canWrite}
        />
      </Card>

      <Card withBorder padding="lg" mt="lg">
        <Group justify="space-between" mb="sm">
          <Text fw={600}>{t('asset.graphTitle')}</Text>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('asset.depth')}
            </Text>
            <SegmentedControl
              size="xs"
              value={depth}
              onChange={setDepth}
              data={['1', '2', '3', '4']}
              data-testid="graph-depth"
            />
          </Group>
        </Group>
        {graph.isLoading && <Loader size="sm" />}
        {graph.error && (
          <Alert color="red">
            <ProblemDetails error={graph.error} t={t} />
          </Alert>
        )}
        {graph.data &&
          (graph.data.edges.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('asset.noRelations')}
            </Text>
          ) : (
            <AssetGraphView graph={graph.data} />
          ))}
      </Card>

      <AssetFormModal opened={editing} asset={a} onClose={() => setEditing(false)} />
      <ConfirmModal
        opened={deleting}
        title={t('asset.deleteTitle')}
        message={t('asset.deleteConfirm', { code: a.code })}
        confirmLabel={t('common.delete')}
        danger
        loading={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setDeleting(false)}
      />
    </>
  );
}

function Relations({
  asset,
  edges,
  nodes,
  canWrite,
}: {
  asset: AssetDto;
  edges: RelationDto[];
  nodes: GraphNode[];
  canWrite: boolean;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<RelationKind | null>(null);
  const [target, setTarget] = useState<string | null>(null);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['assets', 'graph'] });
  const add = useMutation({
    mutationFn: () => createRelation(asset.id, kind!, target!),
    onSuccess: () => {
      notifySuccess((t) => t('asset.relationAdded'));
      setTarget(null);
      refresh();
    },
    onError: (err) => notifyError(err),
  });
  const remove = useMutation({
    mutationFn: (relationId: string) => deleteRelation(asset.id, relationId),
    onSuccess: () => {
      notifySuccess((t) => t('asset.relationRemoved'));
      refresh();
    },
    onError: (err) => notifyError(err),
  });

  return (
    <Stack>
      {edges.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('asset.noRelations')}
        </Text>
      ) : (
        <Table verticalSpacing="xs" data-testid="asset-relations">
          <Table.Tbody>
            {edges.map((e) => {
              const outgoing = e.fromAssetId === asset.id;
              const other = byId.get(outgoing ? e.toAssetId : e.fromAssetId);
              return (
                <Table.Tr key={e.id}>
                  <Table.Td w={200}>
                    <Text size="sm" c="dimmed">
                      {outgoing ? t(`relation.${e.kind}`) : t(`relationInverse.${e.kind}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {other && (
                      <Group gap="sm" wrap="nowrap">
                        <Anchor component={Link} to={`/assets/${other.id}`} ff="monospace" size="sm">
                          {other.code}
                        </Anchor>
                        <Text size="sm">{other.name}</Text>
                        <Text size="xs" c="dimmed" component="div">
                          <TypeLabel type={other.assetType} />
                        </Text>
                      </Group>
                    )}
                  </Table.Td>
                  {canWrite && (
                    <Table.Td w={50}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => remove.mutate(e.id)}
                        aria-label={t('asset.removeRelation')}
                        data-testid="relation-remove"
                      >
                        <TrashIcon size={16} />
                      </ActionIcon>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {canWrite && (
        <Group align="flex-end" gap="sm">
          <Text size="sm" fw={500} pb={8} ff="monospace">
            {asset.code}
          </Text>
          <Select
            placeholder={t('asset.relationKind')}
            data={RELATION_KINDS.map((k) => ({ value: k, label: t(`relation.${k}`) }))}
            value={kind}
            onChange={(v) => setKind(v as RelationKind | null)}
            w={200}
            data-testid="relation-kind"
          />
          <AssetPicker
            placeholder={t('asset.relationTarget')}
            companyId={asset.companyId}
            exclude={asset.id}
            value={target}
            onChange={setTarget}
            w={340}
            data-testid="relation-target"
          />
          <Button
            leftSection={<PlusIcon />}
            disabled={!kind || !target}
            loading={add.isPending}
            onClick={() => add.mutate()}
            data-testid="relation-add"
          >
            {t('asset.addRelation')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
