import { readFileSync } from 'node:fs';
import { ConfigError, type PartnerCenterSettings } from '../../../config';
import type { Log } from '../../../services/ports';
import { createMsalTokenSources } from './msalTokenSource';
import { PartnerCenterLicenseProvider, type SeatPrice } from './partnerCenterLicenseProvider';

/**
 * The catalogue file of PARTNER_CENTER_CATALOG_FILE: for each subscription (by Partner Center subscription
 * id, offerId, or productId:skuId), its seat price and the Graph SKU that counts its seats in use.
 *   { "subscriptions": { "CFQ7TTC0LH18:0001": { "price": "6.00", "currency": "USD", "graphSku": "O365_BUSINESS_ESSENTIALS" } } }
 */
export function readCatalogFile(file: string): {
  prices: Record<string, SeatPrice>;
  skus: Record<string, string>;
} {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      'PARTNER_CENTER_CATALOG_FILE',
      `${file} cannot be read as JSON (${(error as Error).message})`,
    );
  }
  const entries = (json as { subscriptions?: unknown })?.subscriptions;
  if (!entries || typeof entries !== 'object') {
    throw new ConfigError('PARTNER_CENTER_CATALOG_FILE', `${file} must hold { "subscriptions": { ... } }`);
  }
  const prices: Record<string, SeatPrice> = {};
  const skus: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
    const entry = value as { price?: unknown; currency?: unknown; graphSku?: unknown };
    if (typeof entry?.price !== 'string' || typeof entry.currency !== 'string') {
      throw new ConfigError(
        'PARTNER_CENTER_CATALOG_FILE',
        `${file}: "${key}" needs "price" ("12.50") and "currency" ("USD")`,
      );
    }
    prices[key] = { amount: entry.price, currency: entry.currency };
    if (typeof entry.graphSku === 'string' && entry.graphSku !== '') skus[key] = entry.graphSku;
  }
  return { prices, skus };
}

/** The Partner Center provider as the settings describe it, with tokens from MSAL (client credentials). */
export function partnerCenterFromSettings(
  settings: PartnerCenterSettings,
  log: Log,
  authorityMetadata?: string,
): PartnerCenterLicenseProvider {
  const { prices, skus } = readCatalogFile(settings.catalogFile);
  return new PartnerCenterLicenseProvider({
    customerTenantId: settings.customerTenantId,
    customerDomain: settings.customerDomain,
    tokens: createMsalTokenSources({
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      partnerTenantId: settings.partnerTenantId,
      customerTenantId: settings.customerTenantId,
      authorityHost: settings.authorityHost,
      ...(authorityMetadata ? { authorityMetadata } : {}),
    }),
    prices,
    skus,
    partnerCenterUrl: settings.partnerCenterUrl,
    graphUrl: settings.graphUrl,
    log,
  });
}
