// The known sending services (a mail service and the reverse DNS suffixes of its servers), by which the sources
// of a domain are named: "amazonses.com" makes a source "Amazon SES". Group-wide writers edit the list; edits
// carry the version read.
import { useState, type FormEvent } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ServiceDto } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { useCan, useRequiredSession } from '../../shared/session/session.tsx';
import { EditIcon, PlusIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { createService, dmarcKeys, listServices, updateService } from './dmarc.api.ts';
import { arrayFieldError, isGroupWideWriter } from './lib/dmarc.ts';

function ServiceModal({
  service,
  opened,
  onClose,
}: {
  service: ServiceDto | null;
  opened: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [name, setName] = useState(service?.name ?? '');
  const [suffixes, setSuffixes] = useState<string[]>(service?.rdnsSuffixes ?? []);
  const [includes, setIncludes] = useState<string[]>(service?.spfIncludes ?? []);
  const save = useMutation({
    mutationFn: () => {
      const input = { name: name.trim(), rdnsSuffixes: suffixes, spfIncludes: includes };
      if (!service) return createService(input);
      // Only what changed, with the version read.
      return updateService(service.id, {
        version: service.version,
        ...(input.name !== service.name ? { name: input.name } : {}),
        ...(JSON.stringify(suffixes) !== JSON.stringify(service.rdnsSuffixes)
          ? { rdnsSuffixes: suffixes }
          : {}),
        ...(JSON.stringify(includes) !== JSON.stringify(service.spfIncludes)
          ? { spfIncludes: includes }
          : {}),
      });
    },
    onSuccess: (saved) => {
      notifySuccess((t) => t('dmarc.services.saved', { name: saved.name }));
      // The names of the sources follow the list.
      void queryClient.invalidateQueries({ queryKey: dmarcKeys.all });
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
    <Modal
      opened={opened}
      onClose={onClose}
      title={service ? t('dmarc.services.edit') : t('dmarc.services.create')}
      size="lg"
    >
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label={t('dmarc.services.name')}
            placeholder="Amazon SES"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            required
            data-testid="service-name"
          />
          <TagsInput
            label={t('dmarc.services.suffixes')}
            description={t('dmarc.services.suffixesHelp')}
            placeholder="amazonses.com"
            value={suffixes}
            onChange={setSuffixes}
            error={arrayFieldError(errors, 'rdnsSuffixes', suffixes)}
            splitChars={[',', ' ']}
            clearable
            data-testid="service-suffixes"
          />
          <TagsInput
            label={t('dmarc.services.includes')}
            description={t('dmarc.services.includesHelp')}
            placeholder="_spf.google.com"
            value={includes}
            onChange={setIncludes}
            error={arrayFieldError(errors, 'spfIncludes', includes)}
            splitChars={[',', ' ']}
            clearable
            data-testid="service-includes"
          />
          {save.error && !Object.keys(errors).length ? (
            <Alert color="red">
              <ProblemDetails error={save.error} t={t} />
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="service-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ServicesPage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const session = useRequiredSession();
  const canEdit = can('email.write') && isGroupWideWriter(session.grants);
  const services = useQuery({ queryKey: dmarcKeys.services, queryFn: ({ signal }) => listServices(signal) });
  const [editing, setEditing] = useState<ServiceDto | 'new' | null>(null);
  const items = [...(services.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const columns = canEdit ? 5 : 4;

  return (
    <>
      <PageHeader
        title={t('dmarc.services.title')}
        description={t('dmarc.services.description')}
        actions={
          canEdit && (
            <Button leftSection={<PlusIcon />} onClick={() => setEditing('new')} data-testid="service-create">
              {t('dmarc.services.create')}
            </Button>
          )
        }
      />
      {services.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={services.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table highlightOnHover verticalSpacing="sm" data-testid="services-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dmarc.services.name')}</Table.Th>
              <Table.Th>{t('dmarc.services.suffixes')}</Table.Th>
              <Table.Th>{t('dmarc.services.includes')}</Table.Th>
              <Table.Th>{t('dmarc.services.updated')}</Table.Th>
              {canEdit && <Table.Th w={50} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {services.isLoading && <TableSkeleton columns={columns} />}
            {!services.isLoading && items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={columns}>
                  <Text c="dimmed" ta="center" py="lg">
                    {t('dmarc.services.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {items.map((s) => (
              <Table.Tr key={s.id} data-testid="service-row" data-name={s.name}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {s.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {s.rdnsSuffixes.map((x) => (
                      <Badge key={x} size="sm" variant="outline" color="gray" tt="none" ff="monospace">
                        {x}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {s.spfIncludes.map((x) => (
                      <Badge key={x} size="sm" variant="outline" color="blue" tt="none" ff="monospace">
                        {x}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(s.updatedAt)}
                  </Text>
                </Table.Td>
                {canEdit && (
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      onClick={() => setEditing(s)}
                      aria-label={t('common.edit')}
                      data-testid="service-edit"
                    >
                      <EditIcon />
                    </ActionIcon>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {editing !== null && (
        // Mounted per service, so that the form starts from the service opened.
        <ServiceModal
          key={editing === 'new' ? 'new' : editing.id}
          service={editing === 'new' ? null : editing}
          opened
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}
