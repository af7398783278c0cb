// Progressive enhancement only: every page works without this script. It starts
// nhsuk-frontend's components (the header menu, details) and nothing else.
import { initAll } from '/nhsuk/nhsuk-frontend.min.js';

initAll();
