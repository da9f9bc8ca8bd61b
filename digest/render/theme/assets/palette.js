{#-
  A template: MkDocs renders it once per build (digest/render/renderer.py makes it one of the
  theme's static templates), so the toggles and Material's config come from mkdocs.yml.
-#}
{% import "partials/language.html" as lang with context %}
// Material's palette toggle (partials/palette.html) and palette restore
// (partials/javascripts/palette.html), in a file the browser caches instead of inline in
// every page; loaded right after the toggle's empty form, before paint and before
// Material's bundle.
// First Material's storage helpers (partials/javascripts/base.html), scoped to the site's
// root: the folder above this file's assets/. Then Material's config (its #__config
// script, the same on every page but for the site root, which its bundle makes absolute
// anyway), for the bundle to read where it looks: without the translations of its lunr
// search, which is off, and the settings this site leaves unset (search, annotate, tags,
// version: the bundle reads a missing one as unset).
__md_scope=new URL("..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
(function(){var config=document.createElement("script");config.id="__config",config.type="application/json",config.textContent=JSON.stringify({base:__md_scope.href,features:{{ (config.theme.features or []) | tojson }},translations:{"clipboard.copy":{{ lang.t("clipboard.copy") | tojson }},"clipboard.copied":{{ lang.t("clipboard.copied") | tojson }}}}),document.head.appendChild(config)})();
{%- set options -%}
{%- for option in config.theme.palette -%}
{%- set scheme = option.scheme | d("default", true) -%}
{%- set primary = option.primary | d("indigo", true) -%}
{%- set accent = option.accent | d("indigo", true) -%}
<input class="md-option" data-md-color-media="{{ option.media | e }}" data-md-color-scheme="{{ scheme | replace(' ', '-') | e }}" data-md-color-primary="{{ primary | replace(' ', '-') | e }}" data-md-color-accent="{{ accent | replace(' ', '-') | e }}" {% if option.toggle %}aria-label="{{ option.toggle.name | e }}"{% else %}aria-hidden="true"{% endif %} type="radio" name="__palette" id="__palette_{{ loop.index0 }}">
{%- if option.toggle -%}
<label class="md-header__button md-icon" title="{{ option.toggle.name | e }}" for="__palette_{{ loop.index % loop.length }}" hidden>{% include ".icons/" ~ option.toggle.icon ~ ".svg" %}</label>
{%- endif -%}
{%- endfor -%}
{%- endset %}
var form=document.currentScript.previousElementSibling;form&&"palette"===form.getAttribute("data-md-component")&&!form.firstChild&&(form.innerHTML={{ options | tojson }});
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
