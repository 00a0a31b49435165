// Start the GOV.UK Frontend and MOJ Frontend components on every page.
import { initAll as initGovukFrontend } from "../../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../../vendor/moj-frontend/moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();
