// HR CSV import: a dry run reports what would change; a clean dry run can be committed.
import { Anchor, Breadcrumbs, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useT } from '../../shared/i18n/i18n.tsx';
import { CsvImport } from '../../shared/ui/csv-import.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { importPeople, orgKeys } from './org.api.ts';

const COLUMNS = [
  'company_code',
  'employee_number',
  'name',
  'email',
  'personnel_category',
  'department_code',
  'manager_employee_number',
  'active',
] as const;

const TEMPLATE = `${COLUMNS.join(',')}\nHQ,E0001,Hanako Yamada,hanako.yamada@example.com,regular_employee,SALES,,true\n`;

export function PeopleImportPage() {
  const t = useT();
  const queryClient = useQueryClient();
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/people" size="sm">
          {t('nav.people')}
        </Anchor>
        <Text size="sm">{t('people.import')}</Text>
      </Breadcrumbs>
      <PageHeader title={t('import.title')} description={t('import.description')} />
      <CsvImport
        upload={importPeople}
        columns={COLUMNS}
        template={TEMPLATE}
        templateName="people-template.csv"
        formatHelp={t('import.formatHelp')}
        processingLabel={t('import.processing')}
        onCommitted={() => void queryClient.invalidateQueries({ queryKey: orgKeys.people })}
      />
    </>
  );
}
