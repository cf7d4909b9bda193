/* placeholder embed: replaced by the web helper */
#include <stdio.h>
int main(int argc, char **argv){ if(argc<3)return 2; FILE*f=fopen(argv[2],"w"); if(!f)return 1; fprintf(f,"#include \"http/web_assets.h\"\nconst struct web_asset web_assets[1]={{0}};\nconst size_t web_asset_count=0;\n"); return fclose(f)!=0; }
