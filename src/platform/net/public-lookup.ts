// The system resolver (dns.lookup) for outbound connections that must reach only the public Internet: a name that
// resolves to loopback, private, link-local or other non-public addresses fails as blocked (EMAMORIBLOCKED). Given
// to a connection as its `lookup`, the address checked is the address connected to.
import dns from 'node:dns';
import type net from 'node:net';
import { isPublicAddress } from './address-scope.ts';

/** dns.lookup, keeping only public addresses; a name with none left fails as blocked. */
export const publicLookup: net.LookupFunction = (hostname, lookupOptions, callback) => {
  dns.lookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
    if (err) {
      callback(err, '', 0);
      return;
    }
    const allowed = addresses.filter((a) => isPublicAddress(a.address));
    if (allowed.length === 0) {
      callback(
        Object.assign(new Error(`${hostname} resolves only to non-public addresses`), {
          code: 'EMAMORIBLOCKED',
        }),
        '',
        0,
      );
      return;
    }
    if (lookupOptions.all) callback(null, allowed);
    else callback(null, allowed[0]!.address, allowed[0]!.family);
  });
};
