import { createHash } from 'node:crypto';
import type { Child } from 'hono/jsx';

const css = `
*{box-sizing:border-box}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f4f5f7}
header{background:#1d2330;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
header a{color:#fff;text-decoration:none;font-weight:600}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0 .8rem}h2{font-size:1.15rem;margin:1.4rem 0 .5rem}h3{font-size:1rem;margin:.2rem 0}
a{color:#0b5cad}
.card{background:#fff;border:1px solid #d9dce3;border-radius:8px;padding:.8rem 1rem;margin:.6rem 0;overflow-wrap:anywhere}
.row{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:baseline}
.muted{color:#5b6475;font-size:.9rem}
.badge{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.85rem;font-weight:600;background:#e4e7ee}
.s-completed,.s-active{background:#d8f3dc;color:#1b5e20}.s-needs_attention,.s-failed,.s-revoked{background:#fde2e1;color:#8a1c12}
.s-paused,.s-needs_reauth{background:#fff1cc;color:#6b4b00}.s-running,.s-queued{background:#dde9fb;color:#0b3d7a}
.hint{background:#f0f6ff;border-left:4px solid #0b5cad;padding:.5rem .7rem;margin:.5rem 0}
.qbo{font-family:ui-monospace,monospace;font-size:.88rem;background:#f7f7f9;padding:.4rem .6rem;border-radius:4px;white-space:pre-wrap}
form{display:inline-flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.3rem .4rem .3rem 0}
button{font:inherit;padding:.45rem .9rem;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer;min-height:44px}
button.secondary{background:#fff;color:#0b5cad}
input,select{font:inherit;padding:.4rem .5rem;border:1px solid #aab1bf;border-radius:6px;min-height:44px;max-width:100%;background:#fff}
.notice{background:#fff8e1;border:1px solid #e6c463;border-radius:6px;padding:.5rem .8rem}
.progress{height:1rem;background:#e4e7ee;border-radius:999px;overflow:hidden}.progress span{display:block;height:100%;background:#1b5e20}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #e4e7ee;vertical-align:top}
@media (max-width:640px){
  table,thead,tbody,tr,td{display:block}thead{display:none}
  tr{background:#fff;border:1px solid #d9dce3;border-radius:8px;margin:.5rem 0;padding:.3rem .5rem}
  td{border:0;padding:.15rem 0}td[data-label]::before{content:attr(data-label) ": ";color:#5b6475;font-size:.85rem}
}
`;

/** The CSP source that allows exactly the pages' one inline stylesheet (no 'unsafe-inline'). */
export const STYLE_SOURCE = `'sha256-${createHash('sha256').update(css).digest('base64')}'`;

/** The admin pages' frame: readable from 375 px up, plain CSS, no scripts. */
export function Layout(props: { title: string; csrf?: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · qbo-sync admin`}</title>
        <style dangerouslySetInnerHTML={{ __html: css }} />
      </head>
      <body>
        <header>
          <a href="/admin">qbo-sync · sync diagnostics</a>
          {props.csrf ? (
            <form method="post" action="/admin/logout">
              <input type="hidden" name="csrf" value={props.csrf} />
              <button class="secondary" type="submit">
                Log out
              </button>
            </form>
          ) : null}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** A state or status as a coloured badge. */
export function Badge(props: { value: string }) {
  return <span class={`badge s-${props.value}`}>{props.value.replace(/_/g, ' ')}</span>;
}

/** A hidden CSRF field plus the form's own fields. */
export function PostForm(props: { action: string; csrf: string; children: Child }) {
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="csrf" value={props.csrf} />
      {props.children}
    </form>
  );
}

/** The one-line outcome of the last action, when a redirect brought one. */
export function Notice(props: { notice?: string }) {
  return props.notice ? (
    <p class="notice" role="status">
      {props.notice}
    </p>
  ) : null;
}
