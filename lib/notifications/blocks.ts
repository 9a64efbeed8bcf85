// Builds the plain-text and HTML parts of an email from the same blocks, so
// the two never say different things. Pure.
export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

export type Block =
  | string
  | { link: string; href: string }
  | { quote: string }
  | { heading: string }
  | { facts: [label: string, value: string][] };

export const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const lines = (value: string) => escapeHtml(value).replace(/\n/g, "<br>");

function blockText(block: Block): string {
  if (typeof block === "string") return block;
  if ("link" in block) return `${block.link}: ${block.href}`;
  if ("quote" in block) return block.quote.replace(/^/gm, "> ");
  if ("heading" in block) return block.heading;
  return block.facts.map(([label, value]) => `${label}: ${value}`).join("\n");
}

function blockHtml(block: Block): string {
  if (typeof block === "string") return `<p>${lines(block)}</p>`;
  if ("link" in block) return `<p><a href="${escapeHtml(block.href)}">${escapeHtml(block.link)}</a></p>`;
  if ("quote" in block) return `<blockquote>${lines(block.quote)}</blockquote>`;
  if ("heading" in block) return `<h2>${escapeHtml(block.heading)}</h2>`;
  const rows = block.facts.map(
    ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
  );
  return `<table>${rows.join("")}</table>`;
}

export function composeBlocks(subject: string, blocks: Block[]): ComposedEmail {
  return {
    subject,
    text: `${blocks.map(blockText).join("\n\n")}\n`,
    html: blocks.map(blockHtml).join("\n"),
  };
}

/** An absolute link into the app, whatever slashes APP_URL ends with. */
export function appLink(appUrl: string, path: string): string {
  return `${appUrl.replace(/\/+$/, "")}${path}`;
}
