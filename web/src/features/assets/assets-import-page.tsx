// Inventory CSV import: a dry run lists every bad row with its line; a clean dry run can be committed, all
// rows or none. UTF-8 (with or without BOM) and Shift_JIS files are read.
import { Anchor, Breadcrumbs, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ASSET_CSV_COLUMNS } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { CsvImport } from '../../shared/ui/csv-import.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { assetKeys, importAssets } from './assets.api.ts';

const TEMPLATE = `${ASSET_CSV_COLUMNS.join(',')}
KCARD,KCARD-A-0001,Card member database,personal_information,Members and their cards,APP,KCARD-0003,KCARD-0006,Tokyo DC,in_use,3,3,2,true,contact;payment_card,1200000,true,false
KCARD,,Card authorisation service,service,,APP,KCARD-0003,,Tokyo DC,in_use,3,3,3,false,,,true,false
`;

export function AssetsImportPage() {
  const t = useT();
  const queryClient = useQueryClient();
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/assets" size="sm">
          {t('nav.assets')}
        </Anchor>
        <Text size="sm">{t('asset.import')}</Text>
      </Breadcrumbs>
      <PageHeader title={t('asset.importTitle')} description={t('asset.importDescription')} />
      <CsvImport
        upload={importAssets}
        columns={ASSET_CSV_COLUMNS}
        template={TEMPLATE}
        templateName="assets-template.csv"
        formatHelp={t('asset.importFormatHelp')}
        processingLabel={t('asset.importProcessing')}
        committedMessage={(r) => t('asset.importCommitted', { created: r.created, updated: r.updated })}
        onCommitted={() => void queryClient.invalidateQueries({ queryKey: assetKeys.all })}
      />
    </>
  );
}
