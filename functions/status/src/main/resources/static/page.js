// The status page's script (GET /, issue 12). The page works without it; this only
//  - refreshes the jobs in place: it asks the server for the same page with fragment=jobs and swaps it in, keeping
//    each row (and its loaded thumbnail) whose ETag and status did not change; sooner while a job is under way;
//  - uploads: POST /uploads gives a presigned POST policy, the file goes straight to object storage, and the new
//    key is followed (shown under "Your uploads") until the tab closes.
'use strict';

(() => {
  const main = document.querySelector('main');
  if (!main) {
    return;
  }
  const bucket = main.dataset.bucket;
  const followKey = 'thumbnails.follow.' + bucket;
  const maxFollowed = 10;
  let timer = 0;

  function followed() {
    try {
      const keys = JSON.parse(sessionStorage.getItem(followKey) || '[]');
      return Array.isArray(keys) ? keys.filter((k) => typeof k === 'string').slice(-maxFollowed) : [];
    } catch (e) {
      return [];
    }
  }

  function follow(key) {
    const keys = followed().filter((k) => k !== key);
    keys.push(key);
    sessionStorage.setItem(followKey, JSON.stringify(keys.slice(-maxFollowed)));
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(refresh, ms);
  }

  async function refresh() {
    if (document.hidden) {
      return; // visibilitychange refreshes when the tab is shown again
    }
    const url = new URL(location.href);
    url.searchParams.set('fragment', 'jobs');
    url.searchParams.delete('follow');
    for (const key of followed()) {
      url.searchParams.append('follow', key);
    }
    try {
      const response = await fetch(url, { headers: { Accept: 'text/html' } });
      if (!response.ok) {
        throw new Error('the server answered ' + response.status);
      }
      swap(await response.text());
    } catch (e) {
      notice('Could not refresh the list (' + e.message + '); trying again.');
      schedule(10000);
    }
  }

  function swap(html) {
    const next = new DOMParser().parseFromString(html, 'text/html').getElementById('jobs');
    const current = document.getElementById('jobs');
    if (!next || !current) {
      return;
    }
    const focused = current.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
    for (const row of next.querySelectorAll('tr[data-version]')) {
      const old = current.querySelector('#' + CSS.escape(row.id));
      if (old && old.dataset.version === row.dataset.version) {
        row.replaceWith(old);
      }
    }
    current.replaceWith(next);
    if (focused) {
      const again = next.querySelector('[href="' + CSS.escape(focused) + '"]');
      if (again) {
        again.focus();
      }
    }
    notice('');
    schedule(Number(next.dataset.refreshMs) || 10000);
  }

  function notice(text) {
    let element = document.getElementById('notice');
    if (!element && text === '') {
      return; // nothing to say and nothing said before
    }
    if (!element) {
      element = document.createElement('p');
      element.id = 'notice';
      element.className = 'notice';
      element.setAttribute('role', 'status');
      main.prepend(element);
    }
    element.textContent = text;
  }

  const section = document.getElementById('upload');
  const input = document.getElementById('file');
  const message = document.getElementById('upload-status');

  async function upload(file) {
    const maxBytes = Number(section.dataset.maxBytes);
    if (!file.type.startsWith('image/')) {
      message.textContent = file.name + ' is not an image (its type is "' + (file.type || 'unknown') + '").';
      return;
    }
    if (file.size > maxBytes) {
      message.textContent = file.name + ' is larger than the ' + maxBytes + ' bytes this pipeline accepts.';
      return;
    }
    message.textContent = 'Uploading ' + file.name + '…';
    try {
      const answer = await fetch('uploads', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ filename: file.name, contentType: file.type, bucket: bucket }),
      });
      const policy = await answer.json();
      if (!answer.ok) {
        throw new Error(policy.error || 'the status function answered ' + answer.status);
      }
      const form = new FormData();
      for (const [name, value] of Object.entries(policy.fields)) {
        form.append(name, value);
      }
      form.append('file', file);
      const stored = await fetch(policy.url, { method: 'POST', body: form });
      if (!stored.ok) {
        const xml = await stored.text();
        const reason = new DOMParser().parseFromString(xml, 'application/xml').querySelector('Message');
        throw new Error('object storage refused it: ' + (reason ? reason.textContent : stored.status));
      }
      follow(policy.key);
      message.textContent = 'Uploaded ' + file.name + ' as ' + policy.key + '; its job is under “Your uploads”.';
      refresh();
    } catch (e) {
      message.textContent = 'Upload of ' + file.name + ' failed: ' + e.message;
    }
  }

  if (section && input && message) {
    section.hidden = false;
    input.addEventListener('change', () => {
      if (input.files.length > 0) {
        upload(input.files[0]).finally(() => { input.value = ''; });
      }
    });
    section.addEventListener('dragover', (event) => {
      event.preventDefault();
      section.classList.add('dragging');
    });
    section.addEventListener('dragleave', () => section.classList.remove('dragging'));
    section.addEventListener('drop', (event) => {
      event.preventDefault();
      section.classList.remove('dragging');
      if (event.dataTransfer.files.length > 0) {
        upload(event.dataTransfer.files[0]);
      }
    });
  }

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) {
      refresh();
    }
  });
  if (followed().length > 0) {
    refresh();
  } else {
    const jobs = document.getElementById('jobs');
    schedule(Number(jobs && jobs.dataset.refreshMs) || 10000);
  }
})();
