// Cross-framework requirement mappings in bulk: CSV export (all or one framework) and import (dry run, then commit).
import { useState } from 'react';
import { Anchor, Breadcrumbs, Button, Card, Group, Select, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { DownloadIcon } from '../../shared/ui/icons.tsx';
import { CsvImport } from '../../shared/ui/csv-import.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import {
  frameworkKeys,
  importMappings,
  listFrameworks,
  mappingKeys,
  mappingsExportUrl,
} from './frameworks.api.ts';

const COLUMNS = [
  'source_framework',
  'source_ref',
  'target_framework',
  'target_ref',
  'relation',
  'note',
] as const;
const TEMPLATE = `${COLUMNS.join(',')}\niso27001-2022,A.8.5,pci-dss-4.0,8.4.2,intersects,MFA into the cardholder data environment\n`;
const ALL = '';

function ExportCard() {
  const t = useT();
  const [framework, setFramework] = useState<string>(ALL);
  const frameworks = useQuery({
    queryKey: frameworkKeys.list,
    queryFn: ({ signal }) => listFrameworks(signal),
  });
  const options = [
    { value: ALL, label: t('mapping.exportAll') },
    ...(frameworks.data ?? []).map((f) => ({ value: f.ref, label: `${f.name} (${f.ref})` })),
  ];
  return (
    <Card withBorder padding="lg">
      <Title order={5} mb="xs">
        {t('mapping.exportTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('mapping.exportHelp')}
      </Text>
      <Group align="flex-end">
        <Select
          label={t('mapping.exportFramework')}
          data={options}
          value={framework}
          onChange={(v) => setFramework(v ?? ALL)}
          allowDeselect={false}
          searchable
          w={340}
          data-testid="mapping-export-framework"
        />
        <Button
          variant="default"
          leftSection={<DownloadIcon />}
          component="a"
          href={mappingsExportUrl(framework || undefined)}
          download={framework ? `mappings-${framework}.csv` : 'mappings.csv'}
          data-testid="mapping-export"
        >
          {t('mapping.export')}
        </Button>
      </Group>
    </Card>
  );
}

function ImportSection() {
  const t = useT();
  const queryClient = useQueryClient();
  return (
    <CsvImport
      title={t('mapping.importTitle')}
      upload={importMappings}
      columns={COLUMNS}
      template={TEMPLATE}
      templateName="mappings-template.csv"
      formatHelp={t('mapping.formatHelp')}
      processingLabel={t('import.processing')}
      onCommitted={() => void queryClient.invalidateQueries({ queryKey: mappingKeys.all })}
    />
  );
}

export function MappingsPage() {
  const t = useT();
  const can = useCan();
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/frameworks" size="sm">
          {t('nav.frameworks')}
        </Anchor>
        <Text size="sm">{t('mapping.title')}</Text>
      </Breadcrumbs>
      <PageHeader title={t('mapping.title')} description={t('mapping.description')} />
      {can('framework.manage') && <ImportSection />}
      <ExportCard />
    </>
  );
}
