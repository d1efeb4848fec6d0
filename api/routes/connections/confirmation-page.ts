/** The small HTML page a person sees after connecting a company in the browser. */
export function confirmationPage(b: {
  realmId: string;
  companyName: string | null;
  resumedSyncs: number | null;
}): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const name = esc(b.companyName ?? `company ${b.realmId}`);
  const resumed =
    b.resumedSyncs === null
      ? 'Paused syncs could not be resumed automatically; see the logs.'
      : `${b.resumedSyncs} paused sync(s) resumed.`;
  return `<!doctype html><meta charset="utf-8"><title>QuickBooks connected</title><h1>Connected ${name}</h1><p>Realm ${esc(b.realmId)}. ${esc(resumed)}</p>`;
}
