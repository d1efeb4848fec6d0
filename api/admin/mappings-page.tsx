import type { CompanyPolicy } from '../../db/queries/policies';
import type { Mapping } from '../../db/queries/mappings';
import type { Suggestion } from '../services/mapping-suggestions';
import { Layout, PostForm } from './layout';

const companyPath = (realmId: string) => `/admin/companies/${encodeURIComponent(realmId)}`;

const choices: { [K in keyof CompanyPolicy]: { label: string; options: [CompanyPolicy[K], string][] } } = {
  onNameCollision: {
    label: 'When QuickBooks already has the name',
    options: [
      ['link', 'link it when it is the same party'],
      ['ask', 'stop and ask a person'],
    ],
  },
  onInactiveReference: {
    label: 'When the customer or item is inactive in QuickBooks',
    options: [
      ['ask', 'stop and ask a person'],
      ['reactivate', 'make it active again'],
    ],
  },
  docNumbers: {
    label: 'Invoice numbers',
    options: [
      ['source', "the source app's number"],
      ['quickbooks', 'let QuickBooks number them'],
    ],
  },
  onForeignPayment: {
    label: 'When someone else already entered the payment in QuickBooks',
    options: [
      ['link', 'link it instead of creating ours'],
      ['ask', 'stop and ask a person'],
      ['create', 'create ours anyway'],
    ],
  },
};

function PolicyForm(props: { realmId: string; policy: CompanyPolicy; csrf: string }) {
  return (
    <PostForm action={`${companyPath(props.realmId)}/policies`} csrf={props.csrf}>
      {(Object.keys(choices) as (keyof CompanyPolicy)[]).map((field) => (
        <label>
          {choices[field].label}{' '}
          <select name={field} id={`policy-${field}`}>
            {choices[field].options.map(([value, text]) => (
              <option value={value} selected={props.policy[field] === value}>
                {text}
              </option>
            ))}
          </select>
        </label>
      ))}
      <button type="submit">Save policies</button>
    </PostForm>
  );
}

/** The company's policies, records a sync is stuck on with QuickBooks candidates, and the mappings. */
export function MappingsPage(props: {
  realmId: string;
  policy: CompanyPolicy;
  suggestions: Suggestion[] | { error: string };
  mappings: Mapping[];
  csrf: string;
  notice?: string;
}) {
  const { realmId, csrf } = props;
  return (
    <Layout title="Mappings and policies" csrf={csrf}>
      <p class="muted">
        <a href={companyPath(realmId)}>Back to the company</a>
      </p>
      <h1>Mappings and policies</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <h2>Policies</h2>
      <div class="card">
        <PolicyForm realmId={realmId} policy={props.policy} csrf={csrf} />
        <p class="muted">A new policy applies when a waiting sync is retried.</p>
      </div>

      <h2>Link from suggestions</h2>
      {'error' in props.suggestions ? (
        <p class="notice">QuickBooks could not be read for suggestions: {props.suggestions.error}</p>
      ) : props.suggestions.length === 0 ? (
        <p class="muted">No sync is stuck on a customer or item.</p>
      ) : (
        props.suggestions.map((s) => (
          <div class="card" data-suggestion={s.sourceId}>
            <p>
              {s.entity} <strong>{s.name}</strong> (source {s.sourceId}) — QuickBooks records that may be it:
            </p>
            {s.candidates.length === 0 ? <p class="muted">None by that name.</p> : null}
            {s.candidates.map((cand) => (
              <PostForm action={`/admin/syncs/${encodeURIComponent(s.syncId!)}/link`} csrf={csrf}>
                <input type="hidden" name="qboId" value={cand.qboId} />
                <button class="secondary" type="submit" data-candidate={cand.qboId}>
                  Link to {cand.name} (id {cand.qboId}
                  {cand.active ? '' : ', inactive'}
                  {cand.match === 'exact' ? '' : ', similar name'})
                </button>
              </PostForm>
            ))}
          </div>
        ))
      )}

      <h2>Tax and account mappings</h2>
      <div class="card">
        {props.mappings.length === 0 ? <p class="muted">None yet; the defaults apply.</p> : null}
        <ul>
          {props.mappings.map((m) => (
            <li data-mapping={`${m.kind}:${m.sourceKey}`}>
              {m.kind.replace('_', ' ')} <strong>{m.sourceKey}</strong> → QuickBooks {m.qboName ?? ''} (id{' '}
              {m.qboId})
            </li>
          ))}
        </ul>
        <PostForm action={`${companyPath(realmId)}/tax-categories`} csrf={csrf}>
          <label for="tax-category">Source tax category</label>
          <input id="tax-category" name="category" required size={12} />
          <label for="tax-code">QuickBooks TaxCode id</label>
          <input id="tax-code" name="taxCodeId" required size={6} />
          <button class="secondary" type="submit">
            Map tax category
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}
