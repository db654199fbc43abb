// The graph around one asset, drawn as SVG: the asset in the centre, related assets on rings by hops,
// arrows in the direction of the relation, labelled with its kind. A click opens the asset.
import { useMemo, useState } from 'react';
import { Box, Group, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { ASSET_TYPES, type AssetGraph } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { TYPE_COLOR } from './asset-badges.tsx';
import { edgeEnds, radialLayout, shorten } from './lib/graph-layout.ts';

const R = 22;

export function AssetGraphView({ graph }: { graph: AssetGraph }) {
  const t = useT();
  const navigate = useNavigate();
  const [hover, setHover] = useState<string | null>(null);
  const layout = useMemo(
    () =>
      radialLayout(
        graph.rootId,
        graph.nodes,
        graph.edges.map((e) => ({ from: e.fromAssetId, to: e.toAssetId })),
      ),
    [graph],
  );
  // The drawing's own bounds, with room for the labels under and beside the outermost nodes.
  const points = [...layout.positions.values()];
  const minX = Math.min(...points.map((p) => p.x)) - 95;
  const maxX = Math.max(...points.map((p) => p.x)) + 95;
  const minY = Math.min(...points.map((p) => p.y)) - R - 44;
  const maxY = Math.max(...points.map((p) => p.y)) + R + 44;
  const width = maxX - minX;
  const height = maxY - minY;
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const types = ASSET_TYPES.filter((ty) => graph.nodes.some((n) => n.assetType === ty));
  const near = (id: string) =>
    hover === null ||
    id === hover ||
    graph.edges.some(
      (e) =>
        (e.fromAssetId === hover && e.toAssetId === id) || (e.toAssetId === hover && e.fromAssetId === id),
    );

  return (
    <Box>
      <Box style={{ width: '100%', overflow: 'auto' }}>
        <svg
          viewBox={`${minX} ${minY} ${width} ${height}`}
          width={width}
          style={{ maxWidth: '100%', height: 'auto', display: 'block', margin: '0 auto' }}
          role="img"
          aria-label={t('asset.graphTitle')}
          data-testid="asset-graph"
        >
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#868e96" />
            </marker>
          </defs>
          {graph.edges.map((e) => {
            const a = layout.positions.get(e.fromAssetId);
            const b = layout.positions.get(e.toAssetId);
            if (!a || !b) return null;
            const ends = edgeEnds(a, b, R);
            if (!ends) return null;
            const dim = hover !== null && e.fromAssetId !== hover && e.toAssetId !== hover;
            const mx = (ends.from.x + ends.to.x) / 2;
            const my = (ends.from.y + ends.to.y) / 2;
            return (
              <g key={e.id} opacity={dim ? 0.15 : 1}>
                <line
                  x1={ends.from.x}
                  y1={ends.from.y}
                  x2={ends.to.x}
                  y2={ends.to.y}
                  stroke="#adb5bd"
                  strokeWidth={1.6}
                  markerEnd="url(#arrow)"
                />
                <text
                  x={mx}
                  y={my - 4}
                  textAnchor="middle"
                  fontSize={11}
                  fill="#495057"
                  paintOrder="stroke"
                  stroke="#fff"
                  strokeWidth={4}
                >
                  {t(`relation.${e.kind}`)}
                </text>
              </g>
            );
          })}
          {[...layout.positions].map(([id, p]) => {
            const n = nodes.get(id);
            if (!n) return null;
            const root = id === graph.rootId;
            // Names sit on the outer side of a node, away from the centre the edges come from.
            const above = p.y < 0;
            const codeY = above ? -(R + 24) : R + 16;
            const nameY = above ? -(R + 9) : R + 31;
            return (
              <g
                key={id}
                transform={`translate(${p.x} ${p.y})`}
                style={{ cursor: root ? 'default' : 'pointer' }}
                opacity={near(id) ? 1 : 0.25}
                onMouseEnter={() => setHover(id)}
                onMouseLeave={() => setHover(null)}
                onClick={() => !root && void navigate(`/assets/${id}`)}
                data-testid="graph-node"
              >
                <title>{`${n.code} — ${n.name} (${t(`assetType.${n.assetType}`)}) C${n.confidentiality} I${n.integrity} A${n.availability}`}</title>
                <circle
                  r={root ? R + 4 : R}
                  fill={TYPE_COLOR[n.assetType]}
                  fillOpacity={n.lifecycle === 'retired' || n.lifecycle === 'disposed' ? 0.35 : 0.9}
                  stroke={root ? '#212529' : '#fff'}
                  strokeWidth={root ? 3 : 2}
                />
                <text textAnchor="middle" dy={4} fontSize={11} fontWeight={700} fill="#fff">
                  {`${t('asset.cShort')}${n.confidentiality}`}
                </text>
                <text
                  textAnchor="middle"
                  y={codeY}
                  fontSize={12}
                  fontWeight={600}
                  fill="#212529"
                  fontFamily="monospace"
                  paintOrder="stroke"
                  stroke="#fff"
                  strokeWidth={4}
                >
                  {n.code}
                </text>
                <text
                  textAnchor="middle"
                  y={nameY}
                  fontSize={12}
                  fill="#495057"
                  paintOrder="stroke"
                  stroke="#fff"
                  strokeWidth={4}
                >
                  {shorten(n.name, 24)}
                </text>
              </g>
            );
          })}
        </svg>
      </Box>
      <Group gap="md" mt="xs" wrap="wrap">
        {types.map((ty) => (
          <Group key={ty} gap={6} wrap="nowrap">
            <span style={{ width: 10, height: 10, borderRadius: 5, background: TYPE_COLOR[ty] }} />
            <Text size="xs" c="dimmed">
              {t(`assetType.${ty}`)}
            </Text>
          </Group>
        ))}
        {graph.truncated && (
          <Text size="xs" c="orange">
            {t('asset.graphTruncated')}
          </Text>
        )}
      </Group>
    </Box>
  );
}
