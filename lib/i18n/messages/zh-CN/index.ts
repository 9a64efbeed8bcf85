// Simplified Chinese catalogue: the same namespaces and keys as en/ (a test
// compares them).
import accept from "./accept.json";
import account from "./account.json";
import accountNav from "./accountNav.json";
import admin from "./admin.json";
import adminVersions from "./adminVersions.json";
import agreement from "./agreement.json";
import apiKeys from "./apiKeys.json";
import app from "./app.json";
import audit from "./audit.json";
import auditExplorer from "./auditExplorer.json";
import auditLog from "./auditLog.json";
import auth from "./auth.json";
import consent from "./consent.json";
import dashboards from "./dashboards.json";
import emails from "./emails.json";
import deregister from "./deregister.json";
import desk from "./desk.json";
import errors from "./errors.json";
import footer from "./footer.json";
import history from "./history.json";
import holds from "./holds.json";
import home from "./home.json";
import myData from "./myData.json";
import nav from "./nav.json";
import reconsent from "./reconsent.json";
import requests from "./requests.json";
import retention from "./retention.json";
import translations from "./translations.json";
import versions from "./versions.json";

const messages = {
  accept,
  account,
  accountNav,
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
  emails,
  deregister,
  desk,
  errors,
  footer,
  history,
  holds,
  home,
  myData,
  nav,
  reconsent,
  requests,
  retention,
  translations,
  versions,
};

export default messages;
