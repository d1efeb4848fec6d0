/** Where people find a sync: our status URL and its history in the Temporal UI. */
export function syncLinks(
  config: { API_PUBLIC_URL: string; TEMPORAL_UI_URL: string; TEMPORAL_NAMESPACE: string },
  syncId: string,
) {
  const id = encodeURIComponent(syncId);
  return {
    statusUrl: `${config.API_PUBLIC_URL}/v1/syncs/${id}`,
    temporalUiUrl: `${config.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${id}`,
  };
}
