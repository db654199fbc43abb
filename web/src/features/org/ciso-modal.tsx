// Name the CISO of a company: a person of that company, or nobody.
import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/client.ts';
import { companiesKey } from '../../shared/api/lookups.ts';
import type { CompanyDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { RemoteSelect } from '../../shared/ui/remote-select.tsx';
import { searchPeople, setCompanyCiso } from './org.api.ts';

interface CisoModalProps {
  company: CompanyDto | null;
  onClose: () => void;
}

export function CisoModal({ company, onClose }: CisoModalProps) {
  const t = useT();
  return (
    <Modal opened={company !== null} onClose={onClose} title={t('company.setCiso')} size="md">
      {company && <CisoForm key={company.id} company={company} onClose={onClose} />}
    </Modal>
  );
}

function CisoForm({ company, onClose }: { company: CompanyDto; onClose: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [personId, setPersonId] = useState<string | null>(company.cisoPersonId);

  const save = useMutation({
    mutationFn: (next: string | null) => setCompanyCiso(company.id, company.version, next),
    onSuccess: (saved) => {
      notifySuccess((t) =>
        saved.cisoName ? t('company.cisoSet', { name: saved.cisoName }) : t('company.cisoCleared'),
      );
      void queryClient.invalidateQueries({ queryKey: companiesKey });
      onClose();
    },
    onError: (err) => notifyError(err),
  });
  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('company.cisoHelp', { company: company.legalName })}
      </Text>
      {stale && (
        <Alert color="orange" title={t('error.staleTitle')}>
          {t('error.staleVersion')}
        </Alert>
      )}
      <RemoteSelect
        label={t('company.ciso')}
        placeholder={t('people.searchPlaceholder')}
        queryKey={['people', 'picker', company.id]}
        fetchOptions={(q, signal) =>
          searchPeople({ companyId: company.id, q, active: 'true', limit: 20 }, signal).then((p) =>
            p.items.map((person) => ({
              value: person.id,
              label: `${person.name} (${person.employeeNumber})`,
            })),
          )
        }
        value={personId}
        selectedLabel={company.cisoName}
        onChange={(v) => setPersonId(v)}
        clearable
        nothingFoundMessage={t('common.nothingFound')}
        data-testid="ciso-person"
      />
      <Group justify="space-between" mt="sm">
        <Button
          variant="subtle"
          color="red"
          disabled={!company.cisoPersonId}
          loading={save.isPending && save.variables === null}
          onClick={() => save.mutate(null)}
        >
          {t('company.clearCiso')}
        </Button>
        <Group>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={!personId || personId === company.cisoPersonId}
            loading={save.isPending && save.variables !== null}
            onClick={() => save.mutate(personId)}
            data-testid="ciso-save"
          >
            {t('common.save')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
