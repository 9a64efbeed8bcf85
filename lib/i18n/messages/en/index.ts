// English catalogue, one file per namespace so features don't edit a shared
// file. A new namespace: add its JSON beside this file and a line below.
import accept from "./accept.json" with { type: "json" };
import account from "./account.json" with { type: "json" };
import accountNav from "./accountNav.json" with { type: "json" };
import accountMail from "./accountMail.json" with { type: "json" };
import accounts from "./accounts.json" with { type: "json" };
import admin from "./admin.json" with { type: "json" };
import adminVersions from "./adminVersions.json" with { type: "json" };
import agreement from "./agreement.json" with { type: "json" };
import apiKeys from "./apiKeys.json" with { type: "json" };
import app from "./app.json" with { type: "json" };
import audit from "./audit.json" with { type: "json" };
import auditExplorer from "./auditExplorer.json" with { type: "json" };
import auditLog from "./auditLog.json" with { type: "json" };
import auth from "./auth.json" with { type: "json" };
import consent from "./consent.json" with { type: "json" };
import dashboards from "./dashboards.json" with { type: "json" };
import deregister from "./deregister.json" with { type: "json" };
import developers from "./developers.json" with { type: "json" };
import emails from "./emails.json" with { type: "json" };
import desk from "./desk.json" with { type: "json" };
import errors from "./errors.json" with { type: "json" };
import footer from "./footer.json" with { type: "json" };
import history from "./history.json" with { type: "json" };
import holds from "./holds.json" with { type: "json" };
import home from "./home.json" with { type: "json" };
import hosted from "./hosted.json" with { type: "json" };
import hostedAdmin from "./hostedAdmin.json" with { type: "json" };
import linkedAccounts from "./linkedAccounts.json" with { type: "json" };
import myData from "./myData.json" with { type: "json" };
import nav from "./nav.json" with { type: "json" };
import reconsent from "./reconsent.json" with { type: "json" };
import requests from "./requests.json" with { type: "json" };
import retention from "./retention.json" with { type: "json" };
import serverErrors from "./serverErrors.json" with { type: "json" };
import translations from "./translations.json" with { type: "json" };
import versions from "./versions.json" with { type: "json" };
import webhooks from "./webhooks.json" with { type: "json" };

const messages = {
  accept,
  account,
  accountNav,
  accountMail,
  accounts,
  admin,
  adminVersions,
  agreement,
  apiKeys,
  app,
  audit,
  auditExplorer,
  auditLog,
  auth,
  consent,
  dashboards,
  deregister,
  developers,
  emails,
  desk,
  errors,
  footer,
  history,
  holds,
  home,
  hosted,
  hostedAdmin,
  linkedAccounts,
  myData,
  nav,
  reconsent,
  requests,
  retention,
  serverErrors,
  translations,
  versions,
  webhooks,
};

export default messages;
