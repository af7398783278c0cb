// Progressive enhancement only: every page works without this script. It starts
// nhsuk-frontend's components (the header menu, details) and offers organisation names as
// the user types in a search field, through the browser's own <datalist>, so the field stays an
// ordinary text input that screen readers and keyboards already know.
// Relative, so the same file works from the server and from a static export under any path.
import { initAll } from '../nhsuk/nhsuk-frontend.min.js';

initAll();

for (const input of document.querySelectorAll('input[data-module="pw-org-suggest"]')) {
  const list = document.createElement('datalist');
  list.id = `${input.id}-suggestions`;
  input.after(list);
  input.setAttribute('list', list.id);
  let timer;
  let asked = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2) {
      list.replaceChildren();
      return;
    }
    timer = setTimeout(async () => {
      asked = query;
      const response = await fetch(`/api/v1/orgs?q=${encodeURIComponent(query)}`);
      if (!response.ok || asked !== query) return;
      const { orgs } = await response.json();
      list.replaceChildren(...orgs.slice(0, 10).map((org) => {
        const option = document.createElement('option');
        option.value = org.name;
        option.label = org.code;
        return option;
      }));
    }, 150);
  });
}
